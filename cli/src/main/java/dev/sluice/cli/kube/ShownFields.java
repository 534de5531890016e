package dev.sluice.cli.kube;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonIncludeProperties;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.RolloutSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.model.jackson.GoCompatibilityModule;
import io.fabric8.kubernetes.model.jackson.UnmatchedFieldTypeModule;
import java.io.IOException;
import java.io.InputStream;

/**
 * The JSON mapping of what `get rollout` shows: fabric8's mapping (the same modules and features)
 * with the parts nothing shows left unbound. A Rollout's pod template, a ReplicaSet's pod spec beyond
 * its containers' images and an AnalysisRun's spec reach most of the Kubernetes core model, and
 * Jackson preparing to bind them was the largest part of a fresh process's time; the fields shown
 * bind exactly as before.
 */
public final class ShownFields {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModules(new UnmatchedFieldTypeModule(), new GoCompatibilityModule())
      .disable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE)
      .addMixIn(RolloutSpec.class, WithoutTemplate.class)
      .addMixIn(PodSpec.class, OnlyContainers.class)
      .addMixIn(Container.class, OnlyNameAndImage.class)
      .addMixIn(AnalysisRun.class, WithoutSpec.class);

  private ShownFields() {}

  public static JsonNode tree(InputStream json) throws IOException {
    return MAPPER.readTree(json);
  }

  /** The shown fields of {@code json}; a JacksonException when one holds a value the model cannot. */
  public static <T> T read(JsonNode json, Class<T> type) throws JacksonException {
    return MAPPER.treeToValue(json, type);
  }

  @JsonIgnoreProperties("template")
  private interface WithoutTemplate {}

  @JsonIncludeProperties("containers")
  private interface OnlyContainers {}

  @JsonIncludeProperties({"name", "image"})
  private interface OnlyNameAndImage {}

  @JsonIgnoreProperties(value = "spec", ignoreUnknown = true)
  private interface WithoutSpec {}
}
