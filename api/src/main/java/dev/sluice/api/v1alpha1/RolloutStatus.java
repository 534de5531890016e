package dev.sluice.api.v1alpha1;

import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Max;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.List;

/** Everything the controller knows about a rollout's progress lives here, so a restart loses nothing. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutStatus(
    String phase,
    String message,
    Long observedGeneration,
    String currentPodHash,
    String stableRS,
    @Min(0) @Max(Bounds.STEPS) Integer currentStepIndex,
    String currentStepHash,
    @Min(0) Integer replicas,
    @Min(0) Integer updatedReplicas,
    @Min(0) Integer readyReplicas,
    @Min(0) Integer availableReplicas,
    @StatusReplicas @Min(0) @JsonProperty("HPAReplicas") Integer hpaReplicas,
    @LabelSelector String selector,
    List<PauseCondition> pauseConditions,
    Boolean controllerPause,
    Boolean abort,
    String abortedAt,
    Boolean promoteFull,
    String restartedAt,
    CanaryStatus canary,
    BlueGreenStatus blueGreen,
    List<RolloutCondition> conditions) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PauseCondition(String reason, String startTime) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CanaryStatus(
      TrafficWeights weights,
      AnalysisRunReference currentStepAnalysisRunStatus,
      AnalysisRunReference currentBackgroundAnalysisRunStatus) {

    public CanaryStatus(TrafficWeights weights) {
      this(weights, null, null);
    }
  }

  /**
   * Blue-green: the pod-template-hash each Service selects, the pre- and post-promotion runs of the
   * current update, and {@code scaleUpPreviewCheckPoint}: the preview was promoted (it scales up to
   * replicas, then the active Service switches to it), so it does not pause again.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BlueGreenStatus(
      String activeSelector,
      String previewSelector,
      AnalysisRunReference prePromotionAnalysisRunStatus,
      AnalysisRunReference postPromotionAnalysisRunStatus,
      Boolean scaleUpPreviewCheckPoint) {}

  /** The AnalysisRun a step or the background analysis is waiting on, and what it says. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AnalysisRunReference(String name, String status, String message) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TrafficWeights(WeightDestination canary, WeightDestination stable) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record WeightDestination(String podTemplateHash, String serviceName, @Min(0) @Max(Bounds.TRAFFIC_WEIGHT) Integer weight) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RolloutCondition(
      String type, String status, String reason, String message, String lastTransitionTime, String lastUpdateTime) {}
}
