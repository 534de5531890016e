package dev.sluice.api.v1alpha1;

import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Max;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Exactly one of {@code canary} and {@code blueGreen}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutStrategy(CanaryStrategy canary, BlueGreenStrategy blueGreen) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BlueGreenStrategy(
      String activeService,
      String previewService,
      Boolean autoPromotionEnabled,
      @Min(0) @Max(Bounds.SECONDS) Integer autoPromotionSeconds,
      @Min(0) @Max(Bounds.REPLICAS) Integer previewReplicaCount,
      @Min(0) @Max(Bounds.SECONDS) Integer scaleDownDelaySeconds) {}
}
