package dev.sluice.controller.notifications;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a template can name: {@code rollout} (the Rollout, with the status just written),
 * {@code trigger}, {@code recipient}, {@code context} (the ConfigMap's), {@code reason.event},
 * {@code reason.message}, {@code reason.abortedBy} (on-rollout-aborted: metric, deadline or user), and
 * {@code step.number}, {@code step.total}, {@code step.description}, {@code step.definition}
 * (on-rollout-step-completed and on-rollout-paused).
 */
final class TemplateVars {
  private TemplateVars() {}

  static Map<String, Object> of(Map<String, Object> rollout, Notice notice, String recipient, Map<String, String> context) {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("rollout", rollout);
    vars.put("trigger", notice.trigger().id());
    vars.put("recipient", recipient);
    vars.put("context", context);
    Map<String, Object> reason = new LinkedHashMap<>();
    reason.put("event", notice.event());
    reason.put("message", notice.message());
    notice.abortedBy().ifPresent(by -> reason.put("abortedBy", by));
    vars.put("reason", reason);
    notice.step().ifPresent(step -> vars.put("step", Map.of("number", step.number(), "total", step.total(),
        "description", describe(step.definition()), "definition", step.definition())));
    return vars;
  }

  /** {@code setWeight: 20}, {@code pause: {duration: 10s}}, {@code pause: {}}. */
  static String describe(Map<String, Object> step) {
    return entries(step);
  }

  private static String entries(Map<?, ?> map) {
    return map.entrySet().stream().map(e -> e.getKey() + ": " + value(e.getValue())).collect(Collectors.joining(", "));
  }

  private static String value(Object value) {
    if (value instanceof Map<?, ?> map) {
      return "{" + entries(map) + "}";
    }
    if (value instanceof List<?> list) {
      return list.stream().map(TemplateVars::value).collect(Collectors.joining(", ", "[", "]"));
    }
    return String.valueOf(value);
  }
}
