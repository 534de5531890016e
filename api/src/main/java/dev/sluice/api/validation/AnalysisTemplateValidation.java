package dev.sluice.api.validation;

import dev.sluice.api.Durations;
import dev.sluice.api.v1alpha1.AnalysisTemplateSpec;
import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules the spec of an AnalysisTemplate or ClusterAnalysisTemplate must follow, every problem
 * in document order. Pure: a condition's expression is compiled, and a provider reached, only by
 * the analysis itself.
 */
public final class AnalysisTemplateValidation {
  private static final String SPEC = "spec";
  private static final Pattern ARG_REFERENCE = Pattern.compile("\\{\\{\\s*args\\.([A-Za-z0-9_.-]+)\\s*}}");
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT");

  private AnalysisTemplateValidation() {}

  public static List<SpecProblem> validate(AnalysisTemplateSpec spec) {
    Problems problems = new Problems();
    if (spec == null) {
      problems.add(SPEC, "required");
      return problems.list();
    }
    AnalysisRules.arguments(problems, SPEC + ".args", spec.args(), false);
    Map<String, String> args = new HashMap<>();
    if (spec.args() != null) {
      spec.args().stream().filter(a -> a != null && a.name() != null).forEach(a -> args.put(a.name(), a.valueFrom() == null ? a.value() : null));
    }
    Set<String> argNames = args.keySet();
    List<Metric> metrics = spec.metrics() == null ? List.of() : spec.metrics();
    if (metrics.isEmpty()) {
      problems.add(SPEC + ".metrics", "at least one metric is required");
    }
    Set<String> metricNames = new HashSet<>();
    for (int i = 0; i < metrics.size(); i++) {
      String path = SPEC + ".metrics[" + i + "]";
      Metric metric = metrics.get(i);
      if (metric == null) {
        problems.add(path, "empty metric");
        continue;
      }
      problems.required(path + ".name", metric.name());
      if (metric.name() != null && !metricNames.add(metric.name())) {
        problems.add(path + ".name", "metric \"" + metric.name() + "\" is defined twice");
      }
      metric(problems, path, metric, args);
    }
    AnalysisRules.dryRun(problems, SPEC + ".dryRun", spec.dryRun());
    AnalysisRules.retention(problems, SPEC + ".measurementRetention", spec.measurementRetention());
    return problems.list();
  }

  /**
   * Argo Rollouts substitutes arguments into every field of a metric, so {@code interval},
   * {@code count}, the limits and {@code initialDelay} may be {@code {{args.x}}}: such a field is
   * checked with the argument's value when the template gives one, and otherwise when a run is made.
   */
  private static void metric(Problems problems, String path, Metric metric, Map<String, String> args) {
    Set<String> argNames = args.keySet();
    durationOrArg(problems, path + ".interval", metric.interval(), args);
    durationOrArg(problems, path + ".initialDelay", metric.initialDelay(), args);
    intOrArg(problems, path + ".count", metric.count(), 0, args);
    intOrArg(problems, path + ".failureLimit", metric.failureLimit(), -1, args);
    intOrArg(problems, path + ".inconclusiveLimit", metric.inconclusiveLimit(), 0, args);
    intOrArg(problems, path + ".consecutiveErrorLimit", metric.consecutiveErrorLimit(), 0, args);
    intOrArg(problems, path + ".consecutiveSuccessLimit", metric.consecutiveSuccessLimit(), 1, args);
    argumentReferences(problems, path + ".successCondition", metric.successCondition(), argNames);
    argumentReferences(problems, path + ".failureCondition", metric.failureCondition(), argNames);
    Integer count = literal(resolved(metric.count(), args));
    if (count != null && count > 1 && metric.interval() == null) {
      problems.add(path + ".interval", "required when count is more than 1");
    }
    provider(problems, path + ".provider", metric.provider(), argNames);
  }

  private static void provider(Problems problems, String path, MetricProvider provider, Set<String> argNames) {
    if (provider == null) {
      problems.add(path, "required");
      return;
    }
    List<String> set = Problems.present("prometheus", provider.prometheus(), "web", provider.web(), "job", provider.job(),
        "judge", provider.judge());
    if (!problems.oneOf(path, "prometheus, web, job, judge", set)) {
      return;
    }
    if (provider.prometheus() != null) {
      prometheus(problems, path + ".prometheus", provider.prometheus(), argNames);
    } else if (provider.web() != null) {
      web(problems, path + ".web", provider.web(), argNames);
    } else if (provider.judge() != null) {
      JudgeRules.judge(problems, path + ".judge", provider.judge());
      judgeArguments(problems, path + ".judge", provider.judge(), argNames);
    } else if (provider.job().spec() == null) {
      problems.add(path + ".job.spec", "required");
    }
  }

  private static void prometheus(Problems problems, String path, MetricProvider.Prometheus prometheus, Set<String> argNames) {
    problems.required(path + ".address", prometheus.address());
    problems.required(path + ".query", prometheus.query());
    problems.between(path + ".timeout", prometheus.timeout(), 1, MetricProvider.MAX_TIMEOUT_SECONDS);
    argumentReferences(problems, path + ".address", prometheus.address(), argNames);
    argumentReferences(problems, path + ".query", prometheus.query(), argNames);
    headers(problems, path + ".headers", prometheus.headers(), argNames);
    MetricProvider.Authentication auth = prometheus.authentication();
    if (auth != null) {
      problems.oneOf(path + ".authentication", "bearer, basic", Problems.present("bearer", auth.bearer(), "basic", auth.basic()));
    }
  }

  private static void judgeArguments(Problems problems, String path, MetricProvider.Judge judge, Set<String> argNames) {
    argumentReferences(problems, path + ".canaryQuery", judge.canaryQuery(), argNames);
    argumentReferences(problems, path + ".baselineQuery", judge.baselineQuery(), argNames);
    if (judge.prometheus() != null) {
      argumentReferences(problems, path + ".prometheus.address", judge.prometheus().address(), argNames);
      headers(problems, path + ".prometheus.headers", judge.prometheus().headers(), argNames);
    }
  }

  private static void web(Problems problems, String path, MetricProvider.Web web, Set<String> argNames) {
    problems.required(path + ".url", web.url());
    if (web.method() != null && !METHODS.contains(web.method())) {
      problems.add(path + ".method", "must be GET, POST or PUT, got \"" + web.method() + "\"");
    }
    if (web.body() != null && (web.method() == null || "GET".equals(web.method()))) {
      problems.add(path + ".body", "needs method POST or PUT");
    }
    problems.between(path + ".timeoutSeconds", web.timeoutSeconds(), 1, MetricProvider.MAX_TIMEOUT_SECONDS);
    argumentReferences(problems, path + ".url", web.url(), argNames);
    argumentReferences(problems, path + ".body", web.body(), argNames);
    headers(problems, path + ".headers", web.headers(), argNames);
  }

  private static void headers(Problems problems, String path, List<MetricProvider.Header> headers, Set<String> argNames) {
    for (int i = 0; headers != null && i < headers.size(); i++) {
      MetricProvider.Header header = headers.get(i);
      problems.required(path + "[" + i + "].key", header == null ? null : header.key());
      if (header != null) {
        argumentReferences(problems, path + "[" + i + "].value", header.value(), argNames);
      }
    }
  }

  private static void argumentReferences(Problems problems, String path, String text, Set<String> argNames) {
    if (text == null) {
      return;
    }
    Matcher m = ARG_REFERENCE.matcher(text);
    while (m.find()) {
      if (!argNames.contains(m.group(1))) {
        problems.add(path, "uses {{args." + m.group(1) + "}} but spec.args has no argument \"" + m.group(1) + "\"");
      }
    }
  }

  private static void durationOrArg(Problems problems, String path, String value, Map<String, String> args) {
    if (value == null) {
      return;
    }
    if (!hasReference(value)) {
      problems.duration(path, value);
      return;
    }
    argumentReferences(problems, path, value, args.keySet());
    Optional<String> resolved = substitute(value, args);
    if (resolved.isPresent()) {
      try {
        Durations.parse(resolved.get());
      } catch (IllegalArgumentException e) {
        problems.add(path, withArguments(value, e.getMessage()));
      }
    }
  }

  /** An integer at least {@code min}, or a string holding one or {{args.x}} placeholders that give one. */
  private static void intOrArg(Problems problems, String path, IntOrString value, int min, Map<String, String> args) {
    if (value == null || (value.getIntVal() == null && value.getStrVal() == null)) {
      return;
    }
    boolean templated = value.getStrVal() != null && hasReference(value.getStrVal());
    if (templated) {
      argumentReferences(problems, path, value.getStrVal(), args.keySet());
    }
    IntOrString resolved = resolved(value, args);
    if (resolved == null) {
      return;
    }
    Integer literal = literal(resolved);
    String wrong = null;
    if (literal == null) {
      wrong = "must be an integer or an {{args.name}} placeholder, got \"" + resolved.getStrVal() + "\"";
    } else if (literal < min) {
      wrong = "must be " + (min == 0 ? "0 or more" : "at least " + min) + ", got " + literal;
    }
    if (wrong != null) {
      problems.add(path, templated ? withArguments(value.getStrVal(), wrong) : wrong);
    }
  }

  private static String withArguments(String template, String problem) {
    return problem + " (\"" + template + "\" with the template's argument values)";
  }

  /** The value with the template's argument values put in, null when an argument it uses has none here. */
  private static IntOrString resolved(IntOrString value, Map<String, String> args) {
    if (value == null || value.getStrVal() == null || !hasReference(value.getStrVal())) {
      return value;
    }
    return substitute(value.getStrVal(), args).map(IntOrString::new).orElse(null);
  }

  private static boolean hasReference(String text) {
    return ARG_REFERENCE.matcher(text).find();
  }

  private static Optional<String> substitute(String text, Map<String, String> args) {
    Matcher m = ARG_REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = args.get(m.group(1));
      if (value == null) {
        return Optional.empty();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return Optional.of(out.toString());
  }

  private static Integer literal(IntOrString value) {
    if (value == null) {
      return null;
    }
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    try {
      return Integer.parseInt(value.getStrVal().strip());
    } catch (RuntimeException e) {
      return null;
    }
  }
}
