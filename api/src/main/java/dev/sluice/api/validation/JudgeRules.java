package dev.sluice.api.validation;

import dev.sluice.api.Durations;
import dev.sluice.api.v1alpha1.MetricProvider;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The rules of a {@code judge} metric provider's fields, shared by lint, the controller and replay. */
public final class JudgeRules {
  public static final Set<String> DIRECTIONS = Set.of("increase", "decrease", "either");
  public static final Set<String> METHODS = Set.of("sequential", "mann-whitney");
  public static final double DEFAULT_ALPHA = 0.01;
  public static final Duration DEFAULT_SAMPLE_STEP = Duration.ofSeconds(10);

  private JudgeRules() {}

  /** Every problem of a judge provider at {@code path}, as "path: message". */
  public static List<SpecProblem> validate(String path, MetricProvider.Judge judge) {
    Problems problems = new Problems();
    judge(problems, path, judge);
    return problems.list();
  }

  static void judge(Problems problems, String path, MetricProvider.Judge judge) {
    if (judge.prometheus() == null) {
      problems.add(path + ".prometheus", "required (the Prometheus to run the range queries against)");
    } else {
      problems.required(path + ".prometheus.address", judge.prometheus().address());
      problems.atLeast(path + ".prometheus.timeout", judge.prometheus().timeout(), 1);
      MetricProvider.Authentication auth = judge.prometheus().authentication();
      if (auth != null) {
        problems.oneOf(path + ".prometheus.authentication", "bearer, basic", Problems.present("bearer", auth.bearer(), "basic", auth.basic()));
      }
    }
    problems.required(path + ".canaryQuery", judge.canaryQuery());
    problems.required(path + ".baselineQuery", judge.baselineQuery());
    if (judge.direction() != null && !DIRECTIONS.contains(judge.direction())) {
      problems.add(path + ".direction", "must be increase, decrease or either, got \"" + judge.direction() + "\"");
    }
    if (judge.method() != null && !METHODS.contains(judge.method())) {
      problems.add(path + ".method", "must be sequential or mann-whitney, got \"" + judge.method() + "\"");
    }
    Double tolerance = judge.tolerance();
    if (tolerance != null && !(tolerance >= 0 && Double.isFinite(tolerance))) {
      problems.add(path + ".tolerance", "must be a number of at least 0 (a relative change, 0.1 = 10%), got " + tolerance);
    }
    Double alpha = judge.alpha();
    if (alpha != null && !(alpha > 0 && alpha < 1)) {
      problems.add(path + ".alpha", "must be between 0 and 1 (exclusive), got " + alpha);
    }
    if (judge.sampleStep() != null) {
      try {
        if (Durations.parse(judge.sampleStep()).compareTo(Duration.ofSeconds(1)) < 0) {
          problems.add(path + ".sampleStep", "must be at least 1s, got \"" + judge.sampleStep() + "\"");
        }
      } catch (IllegalArgumentException e) {
        problems.add(path + ".sampleStep", e.getMessage());
      }
    }
  }
}
