package dev.sluice.api.validation;

import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.AnalysisTemplateSpec;
import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
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
    Set<String> argNames = new HashSet<>();
    if (spec.args() != null) {
      spec.args().stream().filter(Objects::nonNull).map(AnalysisArgument::name).filter(Objects::nonNull).forEach(argNames::add);
    }
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
      metric(problems, path, metric, argNames);
    }
    AnalysisRules.dryRun(problems, SPEC + ".dryRun", spec.dryRun());
    AnalysisRules.retention(problems, SPEC + ".measurementRetention", spec.measurementRetention());
    return problems.list();
  }

  private static void metric(Problems problems, String path, Metric metric, Set<String> argNames) {
    problems.duration(path + ".interval", metric.interval());
    problems.duration(path + ".initialDelay", metric.initialDelay());
    intOrArg(problems, path + ".count", metric.count(), 0);
    intOrArg(problems, path + ".failureLimit", metric.failureLimit(), -1);
    intOrArg(problems, path + ".inconclusiveLimit", metric.inconclusiveLimit(), 0);
    intOrArg(problems, path + ".consecutiveErrorLimit", metric.consecutiveErrorLimit(), 0);
    intOrArg(problems, path + ".consecutiveSuccessLimit", metric.consecutiveSuccessLimit(), 1);
    Integer count = literal(metric.count());
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

  /** An integer at least {@code min}, or a string holding one or an {{args.x}} placeholder. */
  private static void intOrArg(Problems problems, String path, IntOrString value, int min) {
    boolean placeholder = value != null && value.getStrVal() != null && value.getStrVal().strip().startsWith("{{");
    if (value == null || placeholder || (value.getIntVal() == null && value.getStrVal() == null)) {
      return;
    }
    Integer literal = literal(value);
    if (literal == null) {
      problems.add(path, "must be an integer or an {{args.name}} placeholder, got \"" + value.getStrVal() + "\"");
    } else {
      problems.atLeast(path, literal, min);
    }
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
