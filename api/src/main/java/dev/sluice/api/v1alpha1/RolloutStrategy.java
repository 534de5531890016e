package dev.sluice.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Exactly one of {@code canary} and {@code blueGreen}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutStrategy(CanaryStrategy canary, BlueGreenStrategy blueGreen) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BlueGreenStrategy(
      String activeService,
      String previewService,
      Boolean autoPromotionEnabled,
      Integer autoPromotionSeconds,
      Integer previewReplicaCount,
      Integer scaleDownDelaySeconds) {}
}
