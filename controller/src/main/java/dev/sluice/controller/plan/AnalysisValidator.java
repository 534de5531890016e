package dev.sluice.controller.plan;

import static dev.sluice.controller.plan.SpecValidator.atLeast;
import static dev.sluice.controller.plan.SpecValidator.first;

import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The spec-only checks of a step's or the background analysis: templates named, arguments
 * well-formed, startingStep within the steps. Whether the templates exist and fit together is
 * checked against the cluster ({@link AnalysisRunSpecs#problem}).
 */
final class AnalysisValidator {
  private static final Set<String> HASHES = Set.of("Stable", "Latest");

  private AnalysisValidator() {}

  static Optional<String> step(String path, RolloutAnalysis analysis) {
    return first(
        () -> common(path, analysis),
        () -> analysis.startingStep() != null
            ? Optional.of(path + ".startingStep: only for background analysis (spec.strategy.canary.analysis)")
            : Optional.empty());
  }

  static Optional<String> background(String path, RolloutAnalysis analysis, int steps) {
    Integer start = analysis.startingStep();
    return first(
        () -> common(path, analysis),
        () -> start != null && (start < 0 || start > steps)
            ? Optional.of(path + ".startingStep: must be between 0 and " + steps + " (the number of steps), got " + start)
            : Optional.empty());
  }

  private static Optional<String> common(String path, RolloutAnalysis analysis) {
    return first(
        () -> templates(path + ".templates", analysis.templates()),
        () -> arguments(path + ".args", analysis.args()),
        () -> dryRun(path + ".dryRun", analysis.dryRun()),
        () -> retention(path + ".measurementRetention", analysis.measurementRetention()));
  }

  private static Optional<String> templates(String path, List<RolloutAnalysis.TemplateRef> templates) {
    if (templates == null || templates.isEmpty()) {
      return Optional.of(path + ": at least one template is required");
    }
    for (int i = 0; i < templates.size(); i++) {
      if (templates.get(i) == null || blank(templates.get(i).templateName())) {
        return Optional.of(path + "[" + i + "].templateName: required");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> arguments(String path, List<AnalysisArgument> args) {
    Set<String> names = new HashSet<>();
    for (int i = 0; args != null && i < args.size(); i++) {
      String at = path + "[" + i + "]";
      AnalysisArgument arg = args.get(i);
      if (arg == null || blank(arg.name())) {
        return Optional.of(at + ".name: required");
      }
      if (!names.add(arg.name())) {
        return Optional.of(at + ".name: argument \"" + arg.name() + "\" is given twice");
      }
      if ((arg.value() == null) == (arg.valueFrom() == null)) {
        return Optional.of(at + ": set exactly one of value and valueFrom for argument \"" + arg.name() + "\"");
      }
      if (arg.valueFrom() != null) {
        Optional<String> problem = valueFrom(at + ".valueFrom", arg.valueFrom());
        if (problem.isPresent()) {
          return problem;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> valueFrom(String path, AnalysisArgument.ValueFrom from) {
    List<String> set = new ArrayList<>();
    if (from.secretKeyRef() != null) set.add("secretKeyRef");
    if (from.fieldRef() != null) set.add("fieldRef");
    if (from.podTemplateHashValue() != null) set.add("podTemplateHashValue");
    if (set.size() != 1) {
      return Optional.of(path + ": exactly one of secretKeyRef, fieldRef, podTemplateHashValue must be set, got "
          + (set.isEmpty() ? "none" : String.join(", ", set)));
    }
    if (from.secretKeyRef() != null) {
      if (blank(from.secretKeyRef().name())) {
        return Optional.of(path + ".secretKeyRef.name: required");
      }
      if (blank(from.secretKeyRef().key())) {
        return Optional.of(path + ".secretKeyRef.key: required");
      }
    }
    if (from.fieldRef() != null && blank(from.fieldRef().fieldPath())) {
      return Optional.of(path + ".fieldRef.fieldPath: required");
    }
    if (from.podTemplateHashValue() != null && !HASHES.contains(from.podTemplateHashValue())) {
      return Optional.of(path + ".podTemplateHashValue: must be Stable or Latest, got \"" + from.podTemplateHashValue() + "\"");
    }
    return Optional.empty();
  }

  private static Optional<String> dryRun(String path, List<RolloutAnalysis.DryRun> dryRun) {
    for (int i = 0; dryRun != null && i < dryRun.size(); i++) {
      if (dryRun.get(i) == null || blank(dryRun.get(i).metricName())) {
        return Optional.of(path + "[" + i + "].metricName: required");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> retention(String path, List<RolloutAnalysis.MeasurementRetention> retention) {
    for (int i = 0; retention != null && i < retention.size(); i++) {
      RolloutAnalysis.MeasurementRetention r = retention.get(i);
      if (r == null || blank(r.metricName())) {
        return Optional.of(path + "[" + i + "].metricName: required");
      }
      Optional<String> limit = atLeast(path + "[" + i + "].limit", r.limit(), 1);
      if (limit.isPresent()) {
        return limit;
      }
    }
    return Optional.empty();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
