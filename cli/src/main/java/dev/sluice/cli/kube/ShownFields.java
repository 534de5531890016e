package dev.sluice.cli.kube;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.model.jackson.GoCompatibilityModule;
import io.fabric8.kubernetes.model.jackson.UnmatchedFieldTypeModule;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON mapping of what the one-look reads show (`get rollout`, `list rollouts`, `status
 * --watch=false`, {@link DirectReads}): fabric8's mapping (the same modules and features)
 * with the parts nothing shows left unbound. A Rollout's pod template, a ReplicaSet's pod spec beyond
 * its containers' images and an AnalysisRun's spec reach most of the Kubernetes core model, and
 * Jackson preparing to bind them was the largest part of a fresh process's time; the fields shown
 * bind exactly as before.
 */
public final class ShownFields {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModules(new UnmatchedFieldTypeModule(), new GoCompatibilityModule(),
          new SimpleModule().addDeserializer(PodTemplateSpec.class, new ContainerImages()))
      .disable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE)
      .addMixIn(AnalysisRun.class, WithoutSpec.class);

  private ShownFields() {}

  /**
   * Starts binding a small Rollout, ReplicaSet and AnalysisRun on a daemon thread, so that Jackson
   * has prepared for these types (most of a fresh process's work for a read) on the other core while
   * the main thread parses the command line and connects. Nothing is read differently: a failure
   * here is left for the real read to meet.
   */
  public static void prepareAhead() {
    Thread thread = new Thread(() -> {
      try {
        read(MAPPER.readTree(SAMPLE_ROLLOUT), Rollout.class);
        read(MAPPER.readTree(SAMPLE_REPLICA_SET), ReplicaSet.class);
        read(MAPPER.readTree(SAMPLE_ANALYSIS_RUN), AnalysisRun.class);
      } catch (IOException | RuntimeException ignored) {
        // only a head start
      }
    }, "kubectl-sluice-read-ahead");
    thread.setDaemon(true);
    thread.start();
  }

  public static JsonNode tree(InputStream json) throws IOException {
    return MAPPER.readTree(json);
  }

  /** The shown fields of {@code json}; a JacksonException when one holds a value the model cannot. */
  public static <T> T read(JsonNode json, Class<T> type) throws JacksonException {
    return MAPPER.treeToValue(json, type);
  }

  /** Of a pod template, only what is shown: its containers' names and images. */
  private static final class ContainerImages extends StdDeserializer<PodTemplateSpec> {
    ContainerImages() {
      super(PodTemplateSpec.class);
    }

    @Override
    public PodTemplateSpec deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      JsonNode template = parser.readValueAsTree();
      List<Container> containers = new ArrayList<>();
      for (JsonNode container : template.path("spec").path("containers")) {
        Container shown = new Container();
        shown.setName(container.path("name").textValue());
        shown.setImage(container.path("image").textValue());
        containers.add(shown);
      }
      PodSpec spec = new PodSpec();
      spec.setContainers(containers);
      PodTemplateSpec shown = new PodTemplateSpec();
      shown.setSpec(spec);
      return shown;
    }
  }

  private static final String SAMPLE_ROLLOUT = "{\"apiVersion\":\"sluice.dev/v1alpha1\",\"kind\":\"Rollout\","
      + "\"metadata\":{\"name\":\"a\",\"creationTimestamp\":\"2025-01-01T00:00:00Z\"},"
      + "\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"a\"}},"
      + "\"strategy\":{\"canary\":{\"steps\":[{\"setWeight\":50},{\"pause\":{}}]}}},"
      + "\"status\":{\"phase\":\"Healthy\",\"replicas\":1}}";
  private static final String SAMPLE_REPLICA_SET = "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\","
      + "\"metadata\":{\"name\":\"a\",\"labels\":{\"app\":\"a\"}},\"spec\":{\"replicas\":1},\"status\":{\"replicas\":1}}";
  private static final String SAMPLE_ANALYSIS_RUN = "{\"apiVersion\":\"sluice.dev/v1alpha1\",\"kind\":\"AnalysisRun\","
      + "\"metadata\":{\"name\":\"a\"},\"status\":{\"phase\":\"Running\"}}";

  @JsonIgnoreProperties(value = "spec", ignoreUnknown = true)
  private interface WithoutSpec {}
}
