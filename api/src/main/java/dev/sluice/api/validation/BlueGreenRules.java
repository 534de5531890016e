package dev.sluice.api.validation;

import dev.sluice.api.v1alpha1.RolloutStrategy.BlueGreenStrategy;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** The rules of spec.strategy.blueGreen: the Services, the pod roles, then the pre- and post-promotion analyses. */
final class BlueGreenRules {
  static final String BLUE_GREEN = "spec.strategy.blueGreen";

  private BlueGreenRules() {}

  static void check(Problems problems, BlueGreenStrategy blueGreen, LabelSelector selector) {
    problems.required(BLUE_GREEN + ".activeService", blueGreen.activeService());
    if (blueGreen.activeService() != null && blueGreen.activeService().equals(blueGreen.previewService())) {
      problems.add(BLUE_GREEN + ".previewService", "must differ from activeService, both are \"" + blueGreen.activeService() + "\"");
    }
    problems.atLeast(BLUE_GREEN + ".autoPromotionSeconds", blueGreen.autoPromotionSeconds(), 0);
    problems.atLeast(BLUE_GREEN + ".previewReplicaCount", blueGreen.previewReplicaCount(), 0);
    problems.atLeast(BLUE_GREEN + ".scaleDownDelaySeconds", blueGreen.scaleDownDelaySeconds(), 0);
    problems.atLeast(BLUE_GREEN + ".scaleDownDelayRevisionLimit", blueGreen.scaleDownDelayRevisionLimit(), 0);
    problems.atLeast(BLUE_GREEN + ".abortScaleDownDelaySeconds", blueGreen.abortScaleDownDelaySeconds(), 0);
    if (Boolean.FALSE.equals(blueGreen.autoPromotionEnabled()) && blueGreen.autoPromotionSeconds() != null) {
      problems.add(BLUE_GREEN + ".autoPromotionSeconds",
          "has no effect with autoPromotionEnabled: false (the preview waits for a promote); remove one of them");
    }
    PodRoleRules.antiAffinity(problems, BLUE_GREEN + ".antiAffinity", blueGreen.antiAffinity());
    PodRoleRules.metadata(problems, BLUE_GREEN + ".activeMetadata", blueGreen.activeMetadata(), selector);
    PodRoleRules.metadata(problems, BLUE_GREEN + ".previewMetadata", blueGreen.previewMetadata(), selector);
    if (blueGreen.prePromotionAnalysis() != null) {
      AnalysisRules.promotion(problems, BLUE_GREEN + ".prePromotionAnalysis", blueGreen.prePromotionAnalysis());
    }
    if (blueGreen.postPromotionAnalysis() != null) {
      AnalysisRules.promotion(problems, BLUE_GREEN + ".postPromotionAnalysis", blueGreen.postPromotionAnalysis());
    }
  }
}
