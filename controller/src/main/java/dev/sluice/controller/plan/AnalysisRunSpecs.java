package dev.sluice.controller.plan;

import dev.sluice.analysis.AnalysisSpecException;
import dev.sluice.analysis.args.ArgumentContext;
import dev.sluice.analysis.args.ArgumentResolver;
import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.AnalysisRunSpec;
import dev.sluice.api.v1alpha1.AnalysisTemplateSpec;
import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.CanaryStrategy;
import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.api.v1alpha1.RolloutAnalysis.DryRun;
import dev.sluice.api.v1alpha1.RolloutAnalysis.MeasurementRetention;
import dev.sluice.api.v1alpha1.RolloutAnalysis.TemplateRef;
import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutStrategy.BlueGreenStrategy;
import dev.sluice.controller.plan.Observed.ObservedTemplates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The spec of the AnalysisRun a rollout's analysis asks for, built the Argo Rollouts way: the named
 * templates' metrics side by side, their arguments with the rollout's values put in, fieldRef and
 * podTemplateHashValue turned into values. A Secret stays a reference (the run reads it itself), so
 * no secret value is ever written into a spec.
 */
final class AnalysisRunSpecs {
  private AnalysisRunSpecs() {}

  /**
   * The first analysis of a validated spec (steps in order, then background; blue-green's pre-,
   * then post-promotion) whose templates cannot
   * make a run, as {@code <field>: <problem>}; empty when all can.
   */
  static Optional<String> problem(RolloutSpec spec, ObservedTemplates templates, String namespace) {
    BlueGreenStrategy blueGreen = spec.strategy().blueGreen();
    if (blueGreen != null) {
      Optional<String> pre = blueGreen.prePromotionAnalysis() == null ? Optional.empty()
          : problem("spec.strategy.blueGreen.prePromotionAnalysis", blueGreen.prePromotionAnalysis(), templates, namespace);
      return pre.isPresent() || blueGreen.postPromotionAnalysis() == null ? pre
          : problem("spec.strategy.blueGreen.postPromotionAnalysis", blueGreen.postPromotionAnalysis(), templates, namespace);
    }
    CanaryStrategy canary = spec.strategy().canary();
    List<CanaryStep> steps = orEmpty(canary.steps());
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).analysis() != null) {
        Optional<String> problem = problem("spec.strategy.canary.steps[" + i + "].analysis", steps.get(i).analysis(), templates, namespace);
        if (problem.isPresent()) {
          return problem;
        }
      }
    }
    return canary.analysis() == null ? Optional.empty()
        : problem("spec.strategy.canary.analysis", canary.analysis(), templates, namespace);
  }

  /**
   * Why the templates cannot make a run: one is missing or has no metrics, two define the same metric
   * or give an argument different values, or an argument no one gives a value. Empty when they can.
   *
   * @param path where {@code analysis} sits in the spec, for the message
   */
  static Optional<String> problem(String path, RolloutAnalysis analysis, ObservedTemplates templates, String namespace) {
    Map<String, String> metricOwners = new HashMap<>();
    Map<String, AnalysisArgument> args = new LinkedHashMap<>();
    Map<String, String> argOwners = new HashMap<>();
    List<TemplateRef> refs = analysis.templates();
    for (int i = 0; i < refs.size(); i++) {
      TemplateRef ref = refs.get(i);
      String where = path + ".templates[" + i + "]: ";
      Optional<AnalysisTemplateSpec> found = templates.find(ref);
      if (found.isEmpty()) {
        return Optional.of(where + describe(ref) + " not found"
            + (Boolean.TRUE.equals(ref.clusterScope()) ? "" : " in namespace \"" + namespace + "\""));
      }
      AnalysisTemplateSpec spec = found.get();
      if (spec.metrics() == null || spec.metrics().isEmpty()) {
        return Optional.of(where + describe(ref) + " has no metrics");
      }
      for (Metric metric : spec.metrics()) {
        String before = metricOwners.putIfAbsent(metric.name(), describe(ref));
        if (before != null) {
          return Optional.of(where + "metric \"" + metric.name() + "\" of " + describe(ref) + " is also defined by " + before);
        }
      }
      for (AnalysisArgument arg : spec.args() == null ? List.<AnalysisArgument>of() : spec.args()) {
        AnalysisArgument earlier = args.get(arg.name());
        if (earlier == null || !givesValue(earlier)) {
          args.put(arg.name(), arg);
          argOwners.put(arg.name(), describe(ref));
        } else if (givesValue(arg) && !sameValue(earlier, arg)) {
          return Optional.of(where + "argument \"" + arg.name() + "\" has different values in " + argOwners.get(arg.name())
              + " and " + describe(ref));
        }
      }
    }
    for (AnalysisArgument arg : ArgumentResolver.merge(List.copyOf(args.values()), analysis.args())) {
      if (!givesValue(arg)) {
        return Optional.of(path + ".args: argument \"" + arg.name() + "\" of " + argOwners.get(arg.name())
            + " has no value: give it one here");
      }
    }
    return Optional.empty();
  }

  /**
   * The run's spec; only for an analysis {@link #problem} accepts. An argument the rollout cannot
   * resolve (a fieldRef to a missing field) is left for the run, which then ends in Error saying so.
   */
  static AnalysisRunSpec build(RolloutAnalysis analysis, ObservedTemplates templates, ArgumentContext context) {
    List<Metric> metrics = new ArrayList<>();
    Map<String, AnalysisArgument> declared = new LinkedHashMap<>();
    Map<String, DryRun> dryRun = new LinkedHashMap<>();
    Map<String, MeasurementRetention> retention = new LinkedHashMap<>();
    for (TemplateRef ref : analysis.templates()) {
      AnalysisTemplateSpec spec = templates.find(ref).orElseThrow();
      metrics.addAll(spec.metrics());
      for (AnalysisArgument arg : orEmpty(spec.args())) {
        AnalysisArgument earlier = declared.get(arg.name());
        if (earlier == null || !givesValue(earlier)) {
          declared.put(arg.name(), arg);
        }
      }
      orEmpty(spec.dryRun()).forEach(d -> dryRun.putIfAbsent(d.metricName(), d));
      orEmpty(spec.measurementRetention()).forEach(r -> retention.put(r.metricName(), r));
    }
    orEmpty(analysis.dryRun()).forEach(d -> dryRun.putIfAbsent(d.metricName(), d));
    orEmpty(analysis.measurementRetention()).forEach(r -> retention.put(r.metricName(), r));

    List<AnalysisArgument> args = new ArrayList<>();
    for (AnalysisArgument arg : ArgumentResolver.merge(List.copyOf(declared.values()), analysis.args())) {
      args.add(resolved(arg, context));
    }
    return new AnalysisRunSpec(List.copyOf(metrics), args.isEmpty() ? null : List.copyOf(args), null,
        dryRun.isEmpty() ? null : List.copyOf(dryRun.values()), retention.isEmpty() ? null : List.copyOf(retention.values()));
  }

  private static AnalysisArgument resolved(AnalysisArgument arg, ArgumentContext context) {
    try {
      return ArgumentResolver.resolveFromRollout(List.of(arg), context).get(0);
    } catch (AnalysisSpecException e) {
      return arg;
    }
  }

  static String describe(TemplateRef ref) {
    return (Boolean.TRUE.equals(ref.clusterScope()) ? "ClusterAnalysisTemplate" : "AnalysisTemplate") + " \"" + ref.templateName() + "\"";
  }

  private static boolean givesValue(AnalysisArgument arg) {
    return arg.value() != null || arg.valueFrom() != null;
  }

  private static boolean sameValue(AnalysisArgument a, AnalysisArgument b) {
    return Objects.equals(a.value(), b.value()) && Objects.equals(a.valueFrom(), b.valueFrom());
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
