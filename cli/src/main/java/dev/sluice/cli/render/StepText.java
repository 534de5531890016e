package dev.sluice.cli.render;

import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** A canary step in a few words: "setWeight 20", "pause 30s", "pause (until promoted)". */
public final class StepText {
  private StepText() {}

  public static String describe(CanaryStep step) {
    if (step == null) return "(empty step)";
    if (step.setWeight() != null) return "setWeight " + step.setWeight();
    if (step.pause() != null) {
      var duration = step.pause().duration();
      if (duration == null) return "pause (until promoted)";
      return "pause " + (duration.getIntVal() != null ? duration.getIntVal() + "s" : duration.getStrVal());
    }
    if (step.setCanaryScale() != null) {
      CanaryStep.SetCanaryScale scale = step.setCanaryScale();
      if (scale.replicas() != null) return "setCanaryScale replicas " + scale.replicas();
      if (scale.weight() != null) return "setCanaryScale weight " + scale.weight();
      return "setCanaryScale matchTrafficWeight";
    }
    if (step.analysis() != null) return "analysis " + templates(step.analysis());
    if (step.setHeaderRoute() != null) {
      return "setHeaderRoute " + step.setHeaderRoute().name() + (step.setHeaderRoute().match() == null ? " (remove)" : "");
    }
    if (step.setMirrorRoute() != null) {
      CanaryStep.SetMirrorRoute mirror = step.setMirrorRoute();
      return "setMirrorRoute " + mirror.name() + (mirror.match() == null ? " (remove)"
          : mirror.percentage() == null ? "" : " " + mirror.percentage() + "%");
    }
    return "(empty step)";
  }

  static String templates(RolloutAnalysis analysis) {
    List<RolloutAnalysis.TemplateRef> refs = analysis.templates() == null ? List.of() : analysis.templates();
    return refs.stream().filter(Objects::nonNull).map(RolloutAnalysis.TemplateRef::templateName).collect(Collectors.joining(", "));
  }
}
