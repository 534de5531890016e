package dev.sluice.api.validation;

import static dev.sluice.api.validation.CanaryRules.CANARY;

import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.TrafficRouting;
import java.util.List;

/** The rules of spec.strategy.canary.steps: exactly one kind per step, and that kind's own rules. */
final class StepRules {
  private static final String STEP_KINDS = "setWeight, pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute";

  private StepRules() {}

  static void check(Problems problems, List<CanaryStep> steps, TrafficRouting routing) {
    for (int i = 0; steps != null && i < steps.size(); i++) {
      step(problems, CANARY + ".steps[" + i + "]", steps.get(i), routing);
    }
  }

  private static void step(Problems problems, String path, CanaryStep step, TrafficRouting routing) {
    List<String> set = step == null ? List.of() : Problems.present("setWeight", step.setWeight(), "pause", step.pause(),
        "setCanaryScale", step.setCanaryScale(), "analysis", step.analysis(),
        "setHeaderRoute", step.setHeaderRoute(), "setMirrorRoute", step.setMirrorRoute());
    if (!problems.exactlyOne(path, STEP_KINDS, set)) {
      return;
    }
    if (step.analysis() != null) {
      AnalysisRules.step(problems, path + ".analysis", step.analysis());
    } else if (step.setHeaderRoute() != null) {
      RoutingRules.headerRoute(problems, path + ".setHeaderRoute", step.setHeaderRoute(), routing);
    } else if (step.setMirrorRoute() != null) {
      RoutingRules.mirrorRoute(problems, path + ".setMirrorRoute", step.setMirrorRoute(), routing);
    } else if (step.setWeight() != null) {
      RoutingRules.setWeight(problems, path + ".setWeight", step.setWeight(), routing);
    } else if (step.pause() != null) {
      problems.duration(path + ".pause.duration", step.pause().duration());
    } else {
      canaryScale(problems, path + ".setCanaryScale", step.setCanaryScale());
    }
  }

  private static void canaryScale(Problems problems, String path, CanaryStep.SetCanaryScale scale) {
    problems.exactlyOne(path, "weight, replicas, matchTrafficWeight: true", Problems.present("weight", scale.weight(),
        "replicas", scale.replicas(), "matchTrafficWeight", scale.matchTrafficWeight()));
    problems.between(path + ".weight", scale.weight(), 0, 100);
    problems.atLeast(path + ".replicas", scale.replicas(), 0);
  }
}
