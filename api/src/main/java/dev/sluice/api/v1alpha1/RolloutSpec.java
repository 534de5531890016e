package dev.sluice.api.v1alpha1;

import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Max;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutSpec(
    @SpecReplicas @Min(0) @Max(Bounds.REPLICAS) @JsonPropertyDescription("Desired pods; default 1") Integer replicas,
    @Required LabelSelector selector,
    PodTemplateSpec template,
    WorkloadRef workloadRef,
    @Min(0) @Max(Bounds.SECONDS) Integer minReadySeconds,
    @Min(0) @Max(Bounds.REVISIONS) @JsonPropertyDescription("Old ReplicaSets kept, scaled to 0; default 10") Integer revisionHistoryLimit,
    Boolean paused,
    @Min(1) @Max(Bounds.SECONDS) @JsonPropertyDescription("Seconds without progress before ProgressDeadlineExceeded; default 600") Integer progressDeadlineSeconds,
    Boolean progressDeadlineAbort,
    @JsonPropertyDescription("Restart all pods when this RFC 3339 time has passed") String restartAt,
    RollbackWindow rollbackWindow,
    @Required RolloutStrategy strategy) {

  /**
   * The Deployment whose pod template the rollout uses instead of {@code template}; {@code scaleDown}
   * ({@code never}, the default, {@code onsuccess} or {@code progressively}) says how the Deployment
   * itself is scaled down as the rollout takes over.
   */
  public record WorkloadRef(
      @JsonPropertyDescription("apps/v1") String apiVersion,
      @JsonPropertyDescription("Deployment") String kind,
      @JsonPropertyDescription("The Deployment, in the rollout's namespace") String name,
      @JsonPropertyDescription("never (default), onsuccess (to 0 once the rollout is Healthy) or progressively (as the rollout's pods become available)")
      String scaleDown) {
    public static final String NEVER = "never";
    public static final String ON_SUCCESS = "onsuccess";
    public static final String PROGRESSIVELY = "progressively";
    public static final java.util.List<String> SCALE_DOWN = java.util.List.of(NEVER, ON_SUCCESS, PROGRESSIVELY);

    /** scaleDown, {@link #NEVER} when unset. */
    public String scaleDownOrDefault() {
      return scaleDown == null ? NEVER : scaleDown;
    }
  }

  public record RollbackWindow(@Min(0) @Max(Bounds.REVISIONS) Integer revisions) {}
}
