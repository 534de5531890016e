package dev.sluice.controller.plan;

import dev.sluice.api.Durations;
import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.CanaryStrategy;
import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutStrategy;
import dev.sluice.api.v1alpha1.TrafficRouting;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Finds the first problem in a spec the planner cannot act on, as {@code <field path>: <problem>}.
 * A rollout with a problem gets InvalidSpec and nothing else is touched.
 */
final class SpecValidator {
  private static final String CANARY = "spec.strategy.canary";
  private static final String STEP_KINDS = "setWeight, pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute";
  private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  private SpecValidator() {}

  static Optional<String> validate(RolloutSpec spec) {
    if (spec == null) {
      return Optional.of("spec: required");
    }
    // checked in order, lazily: later checks may rely on earlier ones (a canary strategy exists)
    return first(
        () -> strategy(spec.strategy()),
        () -> atLeast("spec.replicas", spec.replicas(), 0),
        () -> spec.workloadRef() != null ? Optional.of("spec.workloadRef: not supported yet; set spec.template") : Optional.empty(),
        () -> selectorAndTemplate(spec),
        () -> atLeast("spec.minReadySeconds", spec.minReadySeconds(), 0),
        () -> atLeast("spec.revisionHistoryLimit", spec.revisionHistoryLimit(), 0),
        () -> atLeast("spec.progressDeadlineSeconds", spec.progressDeadlineSeconds(), 1),
        () -> restartAt(spec.restartAt()),
        () -> canary(spec.strategy().canary()));
  }

  private static Optional<String> strategy(RolloutStrategy strategy) {
    if (strategy == null || (strategy.canary() == null && strategy.blueGreen() == null)) {
      return Optional.of("spec.strategy: set exactly one of canary and blueGreen, got neither");
    }
    if (strategy.canary() != null && strategy.blueGreen() != null) {
      return Optional.of("spec.strategy: set exactly one of canary and blueGreen, got both");
    }
    if (strategy.blueGreen() != null) {
      return Optional.of("spec.strategy.blueGreen: not supported yet; use spec.strategy.canary");
    }
    return Optional.empty();
  }

  private static Optional<String> selectorAndTemplate(RolloutSpec spec) {
    if (spec.selector() == null) {
      return Optional.of("spec.selector: required");
    }
    if (LabelSelectors.isEmpty(spec.selector())) {
      return Optional.of("spec.selector: must not be empty (it would select every pod in the namespace)");
    }
    List<LabelSelectorRequirement> expressions = LabelSelectors.expressions(spec.selector());
    for (int i = 0; i < expressions.size(); i++) {
      String operator = expressions.get(i).getOperator();
      if (!OPERATORS.contains(operator)) {
        return Optional.of("spec.selector.matchExpressions[" + i + "].operator: must be one of In, NotIn, Exists, DoesNotExist, got " + operator);
      }
    }
    if (spec.template() == null) {
      return Optional.of("spec.template: required");
    }
    var labels = spec.template().getMetadata() == null ? null : spec.template().getMetadata().getLabels();
    if (!LabelSelectors.matches(spec.selector(), labels)) {
      return Optional.of("spec.selector: does not match spec.template.metadata.labels");
    }
    return Optional.empty();
  }

  private static Optional<String> restartAt(String restartAt) {
    if (restartAt == null) {
      return Optional.empty();
    }
    try {
      Timestamps.parse(restartAt);
      return Optional.empty();
    } catch (DateTimeParseException e) {
      return Optional.of("spec.restartAt: must be an RFC 3339 time such as 2024-05-01T10:00:00Z, got \"" + restartAt + "\"");
    }
  }

  private static Optional<String> canary(CanaryStrategy canary) {
    return first(
        () -> RoutingValidator.strategy(canary),
        () -> intOrPercent(CANARY + ".maxSurge", canary.maxSurge()),
        () -> intOrPercent(CANARY + ".maxUnavailable", canary.maxUnavailable()),
        () -> IntOrPercent.isPercentAbove100(canary.maxUnavailable())
            ? Optional.of(CANARY + ".maxUnavailable: must not be above 100%, got " + canary.maxUnavailable().getStrVal())
            : Optional.empty(),
        () -> IntOrPercent.isZero(canary.maxSurge()) && IntOrPercent.isZero(canary.maxUnavailable())
            ? Optional.of(CANARY + ".maxSurge, " + CANARY + ".maxUnavailable: must not both be 0 (the update could never move)")
            : Optional.empty(),
        () -> atLeast(CANARY + ".abortScaleDownDelaySeconds", canary.abortScaleDownDelaySeconds(), 0),
        () -> canary.canaryService() != null && canary.canaryService().equals(canary.stableService())
            ? Optional.of(CANARY + ".canaryService: must differ from stableService, both are \"" + canary.canaryService() + "\"")
            : Optional.empty(),
        () -> steps(canary.steps(), canary.trafficRouting()),
        () -> canary.analysis() == null ? Optional.empty() : AnalysisValidator.background(CANARY + ".analysis", canary.analysis(),
            canary.steps() == null ? 0 : canary.steps().size()));
  }

  private static Optional<String> intOrPercent(String path, IntOrString value) {
    return value == null ? Optional.empty() : IntOrPercent.problem(value).map(p -> path + ": " + p);
  }

  private static Optional<String> steps(List<CanaryStep> steps, TrafficRouting routing) {
    if (steps == null) {
      return Optional.empty();
    }
    for (int i = 0; i < steps.size(); i++) {
      Optional<String> problem = step(CANARY + ".steps[" + i + "]", steps.get(i), routing);
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> step(String path, CanaryStep step, TrafficRouting routing) {
    if (step == null) {
      return Optional.of(path + ": exactly one of " + STEP_KINDS + " must be set, got none");
    }
    List<String> set = new ArrayList<>();
    if (step.setWeight() != null) set.add("setWeight");
    if (step.pause() != null) set.add("pause");
    if (step.setCanaryScale() != null) set.add("setCanaryScale");
    if (step.analysis() != null) set.add("analysis");
    if (step.setHeaderRoute() != null) set.add("setHeaderRoute");
    if (step.setMirrorRoute() != null) set.add("setMirrorRoute");
    if (set.size() != 1) {
      return Optional.of(path + ": exactly one of " + STEP_KINDS + " must be set, got "
          + (set.isEmpty() ? "none" : String.join(", ", set)));
    }
    if (step.analysis() != null) {
      return AnalysisValidator.step(path + ".analysis", step.analysis());
    }
    if (step.setHeaderRoute() != null) {
      return RoutingValidator.headerRoute(path + ".setHeaderRoute", step.setHeaderRoute(), routing);
    }
    if (step.setMirrorRoute() != null) {
      return RoutingValidator.mirrorRoute(path + ".setMirrorRoute", step.setMirrorRoute(), routing);
    }
    if (step.setWeight() != null) {
      return RoutingValidator.setWeight(path + ".setWeight", step.setWeight(), routing);
    }
    if (step.pause() != null) {
      return pauseDuration(path + ".pause.duration", step.pause().duration());
    }
    return canaryScale(path + ".setCanaryScale", step.setCanaryScale());
  }

  private static Optional<String> pauseDuration(String path, IntOrString duration) {
    if (duration == null) {
      return Optional.empty();
    }
    try {
      Durations.parse(duration);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(path + ": " + e.getMessage());
    }
  }

  private static Optional<String> canaryScale(String path, CanaryStep.SetCanaryScale scale) {
    List<String> set = new ArrayList<>();
    if (scale.weight() != null) set.add("weight");
    if (scale.replicas() != null) set.add("replicas");
    if (Boolean.TRUE.equals(scale.matchTrafficWeight())) set.add("matchTrafficWeight");
    if (set.size() != 1) {
      return Optional.of(path + ": exactly one of weight, replicas, matchTrafficWeight: true must be set, got "
          + (set.isEmpty() ? "none" : String.join(", ", set)));
    }
    return first(() -> percent(path + ".weight", scale.weight()), () -> atLeast(path + ".replicas", scale.replicas(), 0));
  }

  private static Optional<String> percent(String path, Integer value) {
    return value != null && (value < 0 || value > 100)
        ? Optional.of(path + ": must be between 0 and 100, got " + value)
        : Optional.empty();
  }

  static Optional<String> atLeast(String path, Integer value, int min) {
    if (value == null || value >= min) {
      return Optional.empty();
    }
    return Optional.of(path + ": must be " + (min == 0 ? "0 or more" : "at least " + min) + ", got " + value);
  }

  @SafeVarargs
  static Optional<String> first(Supplier<Optional<String>>... checks) {
    for (Supplier<Optional<String>> check : checks) {
      Optional<String> problem = check.get();
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }
}
