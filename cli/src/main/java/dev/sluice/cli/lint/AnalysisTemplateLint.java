package dev.sluice.cli.lint;

import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.AnalysisTemplateSpec;
import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.cli.yaml.FieldPath;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rules for the spec of an AnalysisTemplate or ClusterAnalysisTemplate (see shared/api.md, Analysis). */
public final class AnalysisTemplateLint {
  private static final FieldPath SPEC = FieldPath.root().field("spec");
  private static final Pattern ARG_REFERENCE = Pattern.compile("\\{\\{\\s*args\\.([A-Za-z0-9_.-]+)\\s*}}");
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT");

  private AnalysisTemplateLint() {}

  public static List<Problem> check(AnalysisTemplateSpec spec) {
    Checks checks = new Checks();
    if (spec == null) {
      checks.add(SPEC, "required");
      return checks.problems();
    }
    RolloutLint.arguments(checks, SPEC.field("args"), spec.args(), true);
    Set<String> argNames = new HashSet<>();
    if (spec.args() != null) {
      spec.args().stream().filter(a -> a != null && a.name() != null).map(AnalysisArgument::name).forEach(argNames::add);
    }
    List<Metric> metrics = spec.metrics();
    if (metrics == null || metrics.isEmpty()) {
      checks.add(SPEC.field("metrics"), "required: at least one metric");
      return checks.problems();
    }
    Set<String> metricNames = new HashSet<>();
    for (int i = 0; i < metrics.size(); i++) {
      FieldPath path = SPEC.field("metrics").index(i);
      Metric metric = metrics.get(i);
      if (metric == null) {
        checks.add(path, "empty metric");
        continue;
      }
      checks.required(path.field("name"), metric.name());
      if (metric.name() != null && !metricNames.add(metric.name())) {
        checks.add(path.field("name"), "metric \"" + metric.name() + "\" is defined twice");
      }
      metric(checks, path, metric, argNames);
    }
    if (spec.measurementRetention() != null) {
      for (int i = 0; i < spec.measurementRetention().size(); i++) {
        RolloutAnalysis.MeasurementRetention retention = spec.measurementRetention().get(i);
        FieldPath path = SPEC.field("measurementRetention").index(i);
        checks.required(path.field("metricName"), retention == null ? null : retention.metricName());
        if (retention != null) checks.atLeast(path.field("limit"), retention.limit(), 1);
      }
    }
    return checks.problems();
  }

  private static void metric(Checks checks, FieldPath path, Metric metric, Set<String> argNames) {
    checks.duration(path.field("interval"), metric.interval());
    checks.duration(path.field("initialDelay"), metric.initialDelay());
    checks.intOrArg(path.field("count"), metric.count(), 0);
    checks.intOrArg(path.field("failureLimit"), metric.failureLimit(), -1);
    checks.intOrArg(path.field("inconclusiveLimit"), metric.inconclusiveLimit(), 0);
    checks.intOrArg(path.field("consecutiveErrorLimit"), metric.consecutiveErrorLimit(), 0);
    checks.intOrArg(path.field("consecutiveSuccessLimit"), metric.consecutiveSuccessLimit(), 1);
    Integer count = literal(metric.count());
    if (count != null && count > 1 && metric.interval() == null) {
      checks.add(path.field("interval"), "required when count is more than 1");
    }
    MetricProvider provider = metric.provider();
    FieldPath providerPath = path.field("provider");
    if (provider == null) {
      checks.add(providerPath, "required");
      return;
    }
    List<String> set = Checks.present("prometheus", provider.prometheus(), "web", provider.web(), "job", provider.job());
    if (set.size() != 1) {
      checks.add(providerPath, "set exactly one of prometheus, web, job, got " + (set.isEmpty() ? "none" : String.join(", ", set)));
      return;
    }
    if (provider.prometheus() != null) {
      FieldPath p = providerPath.field("prometheus");
      checks.required(p.field("address"), provider.prometheus().address());
      checks.required(p.field("query"), provider.prometheus().query());
      checks.atLeast(p.field("timeout"), provider.prometheus().timeout(), 1);
      argumentReferences(checks, p.field("address"), provider.prometheus().address(), argNames);
      argumentReferences(checks, p.field("query"), provider.prometheus().query(), argNames);
      headers(checks, p.field("headers"), provider.prometheus().headers(), argNames);
      if (provider.prometheus().authentication() != null) {
        var auth = provider.prometheus().authentication();
        checks.exactlyOne(p.field("authentication"), "bearer", auth.bearer(), "basic", auth.basic());
      }
    } else if (provider.web() != null) {
      FieldPath p = providerPath.field("web");
      MetricProvider.Web web = provider.web();
      checks.required(p.field("url"), web.url());
      if (web.method() != null && !METHODS.contains(web.method())) {
        checks.add(p.field("method"), "must be GET, POST or PUT, got \"" + web.method() + "\"");
      }
      if (web.body() != null && (web.method() == null || "GET".equals(web.method()))) {
        checks.add(p.field("body"), "needs method POST or PUT");
      }
      checks.atLeast(p.field("timeoutSeconds"), web.timeoutSeconds(), 1);
      argumentReferences(checks, p.field("url"), web.url(), argNames);
      argumentReferences(checks, p.field("body"), web.body(), argNames);
      headers(checks, p.field("headers"), web.headers(), argNames);
    } else {
      checks.required(providerPath.field("job").field("spec"), provider.job().spec());
    }
  }

  private static void headers(Checks checks, FieldPath path, List<MetricProvider.Header> headers, Set<String> argNames) {
    if (headers == null) return;
    for (int i = 0; i < headers.size(); i++) {
      MetricProvider.Header header = headers.get(i);
      checks.required(path.index(i).field("key"), header == null ? null : header.key());
      if (header != null) argumentReferences(checks, path.index(i).field("value"), header.value(), argNames);
    }
  }

  private static void argumentReferences(Checks checks, FieldPath path, String text, Set<String> argNames) {
    if (text == null) return;
    Matcher m = ARG_REFERENCE.matcher(text);
    while (m.find()) {
      if (!argNames.contains(m.group(1))) {
        checks.add(path, "uses {{args." + m.group(1) + "}} but spec.args has no argument \"" + m.group(1) + "\"");
      }
    }
  }

  private static Integer literal(IntOrString value) {
    if (value == null) return null;
    if (value.getIntVal() != null) return value.getIntVal();
    try {
      return Integer.parseInt(value.getStrVal().strip());
    } catch (RuntimeException e) {
      return null;
    }
  }
}
