package dev.sluice.controller.plan.bluegreen;

import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.api.v1alpha1.RolloutStrategy.BlueGreenStrategy;
import java.time.Duration;
import java.util.Optional;

/**
 * A validated spec.strategy.blueGreen with its defaults.
 *
 * @param previewReplicas pods of the new ReplicaSet before promotion (previewReplicaCount, at most replicas)
 * @param pauseBeforePromotion autoPromotionEnabled is false or autoPromotionSeconds is set
 * @param autoPromotion how long the pause lasts before promoting by itself; empty: until a promote
 * @param scaleDownDelay how long the old ReplicaSet keeps its pods once the new one is stable
 */
public record BlueGreenSettings(
    String activeService,
    Optional<String> previewService,
    int previewReplicas,
    boolean pauseBeforePromotion,
    Optional<Duration> autoPromotion,
    Optional<RolloutAnalysis> prePromotionAnalysis,
    Optional<RolloutAnalysis> postPromotionAnalysis,
    Duration scaleDownDelay,
    Optional<Integer> scaleDownDelayRevisionLimit) {

  static final int DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;

  public static BlueGreenSettings of(BlueGreenStrategy blueGreen, int replicas) {
    Optional<Duration> autoPromotion = Optional.ofNullable(blueGreen.autoPromotionSeconds()).map(Duration::ofSeconds);
    return new BlueGreenSettings(
        blueGreen.activeService(),
        Optional.ofNullable(blueGreen.previewService()).filter(s -> !s.isBlank()),
        Math.min(replicas, Optional.ofNullable(blueGreen.previewReplicaCount()).orElse(replicas)),
        Boolean.FALSE.equals(blueGreen.autoPromotionEnabled()) || autoPromotion.isPresent(),
        autoPromotion,
        Optional.ofNullable(blueGreen.prePromotionAnalysis()),
        Optional.ofNullable(blueGreen.postPromotionAnalysis()),
        Duration.ofSeconds(Optional.ofNullable(blueGreen.scaleDownDelaySeconds()).orElse(DEFAULT_SCALE_DOWN_DELAY_SECONDS)),
        Optional.ofNullable(blueGreen.scaleDownDelayRevisionLimit()));
  }
}
