package dev.sluice.api.v1alpha1;

import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Max;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.sluice.api.v1alpha1.CanaryStrategy.AntiAffinity;
import dev.sluice.api.v1alpha1.CanaryStrategy.PodMetadata;

/** Exactly one of {@code canary} and {@code blueGreen}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutStrategy(CanaryStrategy canary, BlueGreenStrategy blueGreen) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BlueGreenStrategy(
      @JsonPropertyDescription("Service whose selector is pinned to the pods that serve production") String activeService,
      @JsonPropertyDescription("Service pinned to the new pods while they are previewed") String previewService,
      @JsonPropertyDescription("Promote without a pause once the preview is ready; default true") Boolean autoPromotionEnabled,
      @JsonPropertyDescription("Pause this long once the preview is ready, then promote") @Min(0) @Max(Bounds.SECONDS) Integer autoPromotionSeconds,
      @JsonPropertyDescription("Pods of the new ReplicaSet before promotion; default replicas") @Min(0) @Max(Bounds.REPLICAS) Integer previewReplicaCount,
      @JsonPropertyDescription("Runs once the preview is fully available; a failure aborts before the active Service moves") RolloutAnalysis prePromotionAnalysis,
      @JsonPropertyDescription("Runs after the active Service switched; a failure switches it back and aborts") RolloutAnalysis postPromotionAnalysis,
      @JsonPropertyDescription("Seconds the old ReplicaSet keeps its pods after the switch; default 30") @Min(0) @Max(Bounds.SECONDS) Integer scaleDownDelaySeconds,
      @Min(0) @Max(Bounds.REVISIONS) Integer scaleDownDelayRevisionLimit,
      @JsonPropertyDescription("Seconds the aborted preview keeps its pods (0 = never scale down); default 30") @Min(0) @Max(Bounds.SECONDS) Integer abortScaleDownDelaySeconds,
      AntiAffinity antiAffinity,
      PodMetadata activeMetadata,
      PodMetadata previewMetadata) {

    /** Only the Services set: everything else takes its default. */
    public BlueGreenStrategy(String activeService, String previewService) {
      this(activeService, previewService, null, null, null, null, null, null, null, null, null, null, null);
    }
  }
}
