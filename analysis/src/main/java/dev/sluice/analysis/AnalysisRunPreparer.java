package dev.sluice.analysis;

import dev.sluice.analysis.args.ArgumentContext;
import dev.sluice.analysis.args.ArgumentResolver;
import dev.sluice.analysis.args.MetricTemplating;
import dev.sluice.analysis.args.ResolvedArguments;
import dev.sluice.analysis.args.SecretLookup;
import dev.sluice.analysis.condition.ConditionEvaluator;
import dev.sluice.analysis.condition.MetricConditions;
import dev.sluice.analysis.run.MetricSettings;
import dev.sluice.api.MetricNamePattern;
import dev.sluice.api.v1alpha1.AnalysisRunSpec;
import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import dev.sluice.api.validation.JudgeRules;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns an AnalysisRun's spec into a {@link PreparedRun}, or says precisely why it cannot run: an
 * argument without a value or with a missing Secret, an unknown {@code {{args.x}}}, a duration or
 * limit that does not parse, a metric with no or two providers, a condition that does not compile.
 */
public final class AnalysisRunPreparer {
  /**
   * A judge metric without conditions of its own: {@code fail} fails the measurement, {@code
   * continue} and {@code pass} succeed (the run ends at the metric's count, where the judge says
   * pass), and {@code inconclusive} (too few samples at the last measurement) meets neither, so it
   * is Inconclusive: the judge never fails a canary for lack of data.
   */
  static final String JUDGE_SUCCESS = "result.verdict in ['pass', 'continue']";
  static final String JUDGE_FAILURE = "result.verdict == 'fail'";

  private final ConditionEvaluator conditions;
  private final ArgumentResolver arguments = new ArgumentResolver();

  public AnalysisRunPreparer(ConditionEvaluator conditions) {
    this.conditions = conditions;
  }

  /** @throws AnalysisSpecException with a message that names the metric or argument and never a secret value */
  public PreparedRun prepare(AnalysisRunSpec spec, ArgumentContext context, SecretLookup secrets) {
    if (spec == null || spec.metrics() == null || spec.metrics().isEmpty()) {
      throw new AnalysisSpecException("the run has no metrics");
    }
    ResolvedArguments args = arguments.resolve(spec.args(), context, secrets);
    List<PreparedMetric> prepared = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Metric raw : spec.metrics()) {
      if (raw.name() != null && !names.add(raw.name())) {
        throw new AnalysisSpecException("metric \"" + raw.name() + "\" is defined twice");
      }
      try {
        prepared.add(prepare(raw, spec, args));
      } catch (AnalysisSpecException e) {
        // a secret may have been substituted into the text the message quotes
        throw new AnalysisSpecException(args.redactor().redact(e.getMessage()));
      }
    }
    everyRuleMatches("dryRun", spec.dryRun() == null ? List.of() : spec.dryRun().stream().map(RolloutAnalysis.DryRun::metricName).toList(), names);
    everyRuleMatches("measurementRetention", spec.measurementRetention() == null ? List.of()
        : spec.measurementRetention().stream().map(RolloutAnalysis.MeasurementRetention::metricName).toList(), names);
    return new PreparedRun(List.copyOf(prepared), Boolean.TRUE.equals(spec.terminate()), args.redactor());
  }

  /** A rule that selects no metric is a mistake (a misspelt dry-run would enforce the metric): Argo refuses it too. */
  private static void everyRuleMatches(String field, List<String> patterns, Set<String> metricNames) {
    for (int i = 0; i < patterns.size(); i++) {
      String pattern = patterns.get(i);
      if (metricNames.stream().noneMatch(name -> MetricNamePattern.matches(pattern, name))) {
        throw new AnalysisSpecException(field + "[" + i + "]: metricName \"" + pattern + "\" matches no metric of the run (metrics: "
            + String.join(", ", metricNames.stream().sorted().toList()) + ")");
      }
    }
  }

  private PreparedMetric prepare(Metric raw, AnalysisRunSpec spec, ResolvedArguments args) {
    Metric metric = MetricTemplating.substitute(raw, args);
    MetricSettings settings = MetricSettings.of(metric, spec.dryRun(), spec.measurementRetention());
    checkProvider(metric);
    MetricConditions compiled;
    try {
      boolean judgeDefaults = metric.provider().judge() != null && metric.successCondition() == null && metric.failureCondition() == null;
      compiled = judgeDefaults ? conditions.compile(JUDGE_SUCCESS, JUDGE_FAILURE)
          : conditions.compile(metric.successCondition(), metric.failureCondition());
    } catch (AnalysisSpecException e) {
      throw new AnalysisSpecException("metric \"" + metric.name() + "\": " + e.getMessage());
    }
    return new PreparedMetric(metric, settings, compiled);
  }

  private static void checkProvider(Metric metric) {
    String where = "metric \"" + metric.name() + "\"";
    MetricProvider p = metric.provider();
    int providers = p == null ? 0 : (p.prometheus() != null ? 1 : 0) + (p.web() != null ? 1 : 0) + (p.job() != null ? 1 : 0)
        + (p.judge() != null ? 1 : 0);
    if (providers != 1) {
      throw new AnalysisSpecException(where + " needs exactly one provider (prometheus, web, job or judge), not " + providers);
    }
    if (p.judge() != null) {
      var problems = JudgeRules.validate("judge", p.judge());
      if (!problems.isEmpty()) {
        throw new AnalysisSpecException(where + ": " + problems.stream().map(Object::toString).collect(Collectors.joining("; ")));
      }
    }
    if (p.prometheus() != null && (blank(p.prometheus().address()) || blank(p.prometheus().query()))) {
      throw new AnalysisSpecException(where + ": prometheus needs an address and a query");
    }
    if (p.web() != null && blank(p.web().url())) {
      throw new AnalysisSpecException(where + ": web needs a url");
    }
    if (p.prometheus() != null) {
      checkTimeout(where + ": prometheus timeout", p.prometheus().timeout());
    }
    if (p.web() != null) {
      checkTimeout(where + ": web timeoutSeconds", p.web().timeoutSeconds());
    }
    if (p.job() != null && (p.job().spec() == null || p.job().spec().getTemplate() == null)) {
      throw new AnalysisSpecException(where + ": job needs a spec with a pod template");
    }
  }

  /** A measurement holds a worker while it waits: no tenant may make that wait unbounded. */
  private static void checkTimeout(String what, Integer seconds) {
    if (seconds != null && seconds > MetricProvider.MAX_TIMEOUT_SECONDS) {
      throw new AnalysisSpecException(what + " " + seconds + " is more than " + MetricProvider.MAX_TIMEOUT_SECONDS
          + " seconds, the longest a measurement may wait");
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
