package dev.sluice.api.validation;

import dev.sluice.api.v1alpha1.CanaryStrategy;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** The rules of spec.strategy.canary: its own fields (pod roles included), then its traffic routing, steps and background analysis. */
final class CanaryRules {
  static final String CANARY = "spec.strategy.canary";

  private CanaryRules() {}

  static void check(Problems problems, CanaryStrategy canary, LabelSelector selector) {
    RoutingRules.strategy(problems, canary);
    intOrPercent(problems, CANARY + ".maxSurge", canary.maxSurge());
    intOrPercent(problems, CANARY + ".maxUnavailable", canary.maxUnavailable());
    if (IntOrPercent.isPercentAbove100(canary.maxUnavailable())) {
      problems.add(CANARY + ".maxUnavailable", "must not be above 100%, got " + canary.maxUnavailable().getStrVal());
    }
    if (IntOrPercent.isZero(canary.maxSurge()) && IntOrPercent.isZero(canary.maxUnavailable())) {
      problems.add(CANARY + ".maxSurge, " + CANARY + ".maxUnavailable", "must not both be 0 (the update could never move)");
    }
    problems.atLeast(CANARY + ".abortScaleDownDelaySeconds", canary.abortScaleDownDelaySeconds(), 0);
    if (canary.canaryService() != null && canary.canaryService().equals(canary.stableService())) {
      problems.add(CANARY + ".canaryService", "must differ from stableService, both are \"" + canary.canaryService() + "\"");
    }
    PodRoleRules.antiAffinity(problems, CANARY + ".antiAffinity", canary.antiAffinity());
    PodRoleRules.metadata(problems, CANARY + ".canaryMetadata", canary.canaryMetadata(), selector);
    PodRoleRules.metadata(problems, CANARY + ".stableMetadata", canary.stableMetadata(), selector);
    StepRules.check(problems, canary.steps(), canary.trafficRouting());
    if (canary.analysis() != null) {
      AnalysisRules.background(problems, CANARY + ".analysis", canary.analysis(), canary.steps() == null ? 0 : canary.steps().size());
    }
  }

  private static void intOrPercent(Problems problems, String path, IntOrString value) {
    if (value != null) {
      IntOrPercent.problem(value).ifPresent(problem -> problems.add(path, problem));
    }
  }
}
