package dev.sluice.controller.notifications;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Rollout's wish to hear of a trigger through a service: the annotation
 * {@code notifications.sluice.dev/subscribe.<trigger>.<service>: <recipient>[;<recipient>...]}.
 *
 * @param recipient a Slack channel, or what a webhook's template makes of {@code {{recipient}}}; may be empty
 */
public record Subscription(Trigger trigger, String service, String recipient) {
  public static final String PREFIX = "notifications.sluice.dev/subscribe.";

  /** The subscriptions of a Rollout's annotations, and a problem for each subscription annotation that names no known trigger. */
  public record Parsed(List<Subscription> subscriptions, List<String> problems) {
    public List<Subscription> to(Trigger trigger) {
      return subscriptions.stream().filter(s -> s.trigger() == trigger).toList();
    }
  }

  public static Parsed fromAnnotations(Map<String, String> annotations) {
    List<Subscription> subscriptions = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (annotations == null) {
      return new Parsed(List.of(), List.of());
    }
    annotations.entrySet().stream().filter(a -> a.getKey().startsWith(PREFIX)).sorted(Map.Entry.comparingByKey()).forEach(a -> {
      String rest = a.getKey().substring(PREFIX.length());
      int dot = rest.indexOf('.');
      Optional<Trigger> trigger = dot <= 0 ? Optional.empty() : Trigger.byId(rest.substring(0, dot));
      if (dot <= 0 || dot == rest.length() - 1) {
        problems.add("annotation " + a.getKey() + " is not " + PREFIX + "<trigger>.<service>");
      } else if (trigger.isEmpty()) {
        problems.add("annotation " + a.getKey() + " names an unknown trigger \"" + rest.substring(0, dot) + "\" (known: "
            + Trigger.known() + ")");
      } else {
        String service = rest.substring(dot + 1);
        List<String> recipients = Arrays.stream(a.getValue() == null ? new String[0] : a.getValue().split(";"))
            .map(String::trim).filter(r -> !r.isEmpty()).toList();
        if (recipients.isEmpty()) {
          subscriptions.add(new Subscription(trigger.get(), service, ""));
        }
        recipients.forEach(r -> subscriptions.add(new Subscription(trigger.get(), service, r)));
      }
    });
    return new Parsed(List.copyOf(subscriptions), List.copyOf(problems));
  }
}
