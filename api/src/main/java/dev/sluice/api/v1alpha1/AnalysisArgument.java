package dev.sluice.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An argument substituted as {@code {{args.name}}}; a template may leave {@code value} for the rollout to supply. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnalysisArgument(String name, String value, ValueFrom valueFrom) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ValueFrom(
      SecretKeyRef secretKeyRef,
      FieldRef fieldRef,
      @JsonPropertyDescription("Stable or Latest: the pod-template-hash of that ReplicaSet") String podTemplateHashValue) {}

  public record SecretKeyRef(String name, String key) {}

  public record FieldRef(String fieldPath) {}
}
