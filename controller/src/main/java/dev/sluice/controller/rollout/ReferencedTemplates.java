package dev.sluice.controller.rollout;

import dev.sluice.api.v1alpha1.AnalysisTemplateSpec;
import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.api.v1alpha1.RolloutAnalysis.TemplateRef;
import dev.sluice.controller.plan.Observed.ObservedTemplates;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The analysis templates a rollout's spec names (steps and background; blue-green's pre- and
 * post-promotion), and which rollouts name a template.
 */
final class ReferencedTemplates {
  private ReferencedTemplates() {}

  /**
   * @param namespaced an AnalysisTemplate of the rollout's namespace by name, if it exists
   * @param cluster a ClusterAnalysisTemplate by name, if it exists
   */
  static ObservedTemplates of(Rollout rollout, Function<String, Optional<AnalysisTemplateSpec>> namespaced,
      Function<String, Optional<AnalysisTemplateSpec>> cluster) {
    Map<String, AnalysisTemplateSpec> inNamespace = new HashMap<>();
    Map<String, AnalysisTemplateSpec> clusterWide = new HashMap<>();
    refs(rollout).forEach(ref -> {
      boolean clusterScope = Boolean.TRUE.equals(ref.clusterScope());
      (clusterScope ? cluster : namespaced).apply(ref.templateName())
          .filter(spec -> spec != null)
          .ifPresent(spec -> (clusterScope ? clusterWide : inNamespace).put(ref.templateName(), spec));
    });
    return new ObservedTemplates(inNamespace, clusterWide);
  }

  static boolean refersTo(Rollout rollout, String name, boolean clusterScope) {
    return refs(rollout).anyMatch(ref -> name.equals(ref.templateName()) && clusterScope == Boolean.TRUE.equals(ref.clusterScope()));
  }

  private static Stream<TemplateRef> refs(Rollout rollout) {
    return analyses(rollout)
        .filter(Objects::nonNull)
        .filter(a -> a.templates() != null)
        .flatMap(a -> a.templates().stream())
        .filter(ref -> ref != null && ref.templateName() != null);
  }

  private static Stream<RolloutAnalysis> analyses(Rollout rollout) {
    var spec = rollout.getSpec();
    if (spec == null || spec.strategy() == null) {
      return Stream.empty();
    }
    var blueGreen = spec.strategy().blueGreen();
    if (blueGreen != null) {
      return Stream.of(blueGreen.prePromotionAnalysis(), blueGreen.postPromotionAnalysis());
    }
    var canary = spec.strategy().canary();
    if (canary == null) {
      return Stream.empty();
    }
    Stream<RolloutAnalysis> steps = canary.steps() == null ? Stream.empty()
        : canary.steps().stream().filter(Objects::nonNull).map(CanaryStep::analysis);
    return Stream.concat(steps, Stream.of(canary.analysis()));
  }
}
