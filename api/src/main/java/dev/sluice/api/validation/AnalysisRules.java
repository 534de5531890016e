package dev.sluice.api.validation;

import static dev.sluice.api.validation.Problems.blank;

import dev.sluice.api.MetricNamePattern;
import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The spec-only rules of a step's or the background analysis (templates named, arguments
 * well-formed, startingStep within the steps), and those it shares with AnalysisTemplates
 * (arguments, dryRun, measurementRetention). Whether the templates exist and fit together needs
 * the cluster: that is for the controller.
 */
final class AnalysisRules {
  private static final Set<String> HASHES = Set.of("Stable", "Latest");

  private AnalysisRules() {}

  static void step(Problems problems, String path, RolloutAnalysis analysis) {
    common(problems, path, analysis);
    if (analysis.startingStep() != null) {
      problems.add(path + ".startingStep", "only for background analysis (spec.strategy.canary.analysis)");
    }
  }

  static void promotion(Problems problems, String path, RolloutAnalysis analysis) {
    common(problems, path, analysis);
    if (analysis.startingStep() != null) {
      problems.add(path + ".startingStep", "only for background analysis (spec.strategy.canary.analysis)");
    }
  }

  static void background(Problems problems, String path, RolloutAnalysis analysis, int steps) {
    common(problems, path, analysis);
    Integer start = analysis.startingStep();
    if (start != null && (start < 0 || start > steps)) {
      problems.add(path + ".startingStep", "must be between 0 and " + steps + " (the number of steps), got " + start);
    }
  }

  private static void common(Problems problems, String path, RolloutAnalysis analysis) {
    List<RolloutAnalysis.TemplateRef> templates = analysis.templates();
    if (templates == null || templates.isEmpty()) {
      problems.add(path + ".templates", "at least one template is required");
    }
    for (int i = 0; templates != null && i < templates.size(); i++) {
      problems.required(path + ".templates[" + i + "].templateName", templates.get(i) == null ? null : templates.get(i).templateName());
    }
    arguments(problems, path + ".args", analysis.args(), true);
    dryRun(problems, path + ".dryRun", analysis.dryRun());
    retention(problems, path + ".measurementRetention", analysis.measurementRetention());
  }

  /**
   * @param valueRequired a rollout gives every argument its value; a template may leave one for the
   *     rollout to give
   */
  static void arguments(Problems problems, String path, List<AnalysisArgument> args, boolean valueRequired) {
    Set<String> names = new HashSet<>();
    for (int i = 0; args != null && i < args.size(); i++) {
      String at = path + "[" + i + "]";
      AnalysisArgument arg = args.get(i);
      if (arg == null || blank(arg.name())) {
        problems.add(at + ".name", "required");
        continue;
      }
      if (!names.add(arg.name())) {
        problems.add(at + ".name", "argument \"" + arg.name() + "\" is given twice");
      }
      boolean both = arg.value() != null && arg.valueFrom() != null;
      boolean neither = arg.value() == null && arg.valueFrom() == null;
      if (both || (valueRequired && neither)) {
        problems.add(at, "set " + (valueRequired ? "exactly" : "at most") + " one of value and valueFrom for argument \"" + arg.name() + "\"");
      }
      if (arg.valueFrom() != null) {
        valueFrom(problems, at + ".valueFrom", arg.valueFrom());
      }
    }
  }

  private static void valueFrom(Problems problems, String path, AnalysisArgument.ValueFrom from) {
    problems.exactlyOne(path, "secretKeyRef, fieldRef, podTemplateHashValue", Problems.present("secretKeyRef", from.secretKeyRef(),
        "fieldRef", from.fieldRef(), "podTemplateHashValue", from.podTemplateHashValue()));
    if (from.secretKeyRef() != null) {
      problems.required(path + ".secretKeyRef.name", from.secretKeyRef().name());
      problems.required(path + ".secretKeyRef.key", from.secretKeyRef().key());
    }
    if (from.fieldRef() != null) {
      problems.required(path + ".fieldRef.fieldPath", from.fieldRef().fieldPath());
    }
    if (from.podTemplateHashValue() != null && !HASHES.contains(from.podTemplateHashValue())) {
      problems.add(path + ".podTemplateHashValue", "must be Stable or Latest, got \"" + from.podTemplateHashValue() + "\"");
    }
  }

  static void dryRun(Problems problems, String path, List<RolloutAnalysis.DryRun> dryRun) {
    for (int i = 0; dryRun != null && i < dryRun.size(); i++) {
      metricName(problems, path + "[" + i + "].metricName", dryRun.get(i) == null ? null : dryRun.get(i).metricName());
    }
  }

  private static void metricName(Problems problems, String path, String pattern) {
    if (blank(pattern)) {
      problems.add(path, "required");
    } else {
      MetricNamePattern.problem(pattern).ifPresent(problem -> problems.add(path, problem));
    }
  }

  static void retention(Problems problems, String path, List<RolloutAnalysis.MeasurementRetention> retention) {
    for (int i = 0; retention != null && i < retention.size(); i++) {
      RolloutAnalysis.MeasurementRetention r = retention.get(i);
      metricName(problems, path + "[" + i + "].metricName", r == null ? null : r.metricName());
      if (r != null) {
        problems.atLeast(path + "[" + i + "].limit", r.limit(), 1);
      }
    }
  }
}
