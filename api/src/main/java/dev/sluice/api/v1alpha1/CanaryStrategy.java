package dev.sluice.api.v1alpha1;

import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Max;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanaryStrategy(
    List<CanaryStep> steps,
    String canaryService,
    String stableService,
    TrafficRouting trafficRouting,
    @JsonPropertyDescription("Pods above replicas during an update: int or percent; default 25%") IntOrString maxSurge,
    @JsonPropertyDescription("Pods below replicas during an update: int or percent; default 25%") IntOrString maxUnavailable,
    @Min(0) @Max(Bounds.SECONDS) Integer scaleDownDelaySeconds,
    @Min(0) @Max(Bounds.REVISIONS) Integer scaleDownDelayRevisionLimit,
    @Min(0) @Max(Bounds.SECONDS) @JsonPropertyDescription("Seconds the canary keeps its pods after an abort (0 = never scale down); default 30") Integer abortScaleDownDelaySeconds,
    Boolean dynamicStableScale,
    AntiAffinity antiAffinity,
    PodMetadata canaryMetadata,
    PodMetadata stableMetadata,
    @JsonPropertyDescription("Background analysis: runs from startingStep until promotion; a failure aborts") RolloutAnalysis analysis) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PodMetadata(Map<String, String> labels, Map<String, String> annotations) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AntiAffinity(
      PreferredAntiAffinity preferredDuringSchedulingIgnoredDuringExecution,
      Map<String, String> requiredDuringSchedulingIgnoredDuringExecution) {}

  public record PreferredAntiAffinity(@Min(1) @Max(100) Integer weight) {}
}
