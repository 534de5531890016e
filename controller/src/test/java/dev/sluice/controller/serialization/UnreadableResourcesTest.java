package dev.sluice.controller.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An informer's list holds every namespace's objects: one that cannot be read must not spoil it. */
class UnreadableResourcesTest {
  private static final String GOOD = rollout("team-a", "good", "{\"replicas\":3,\"selector\":{\"matchLabels\":{\"app\":\"a\"}}}",
      "{\"phase\":\"Healthy\",\"replicas\":3}");
  private static final String BAD_SPEC = rollout("team-b", "big", "{\"replicas\":9000000000}", "{}");
  private static final String BAD_STATUS = rollout("team-c", "patched", "{\"replicas\":1}",
      "{\"phase\":\"Healthy\",\"canary\":{\"weights\":{\"canary\":{\"weight\":9000000000}}}}");
  private static final String LIST = "{\"apiVersion\":\"sluice.dev/v1alpha1\",\"kind\":\"RolloutList\",\"metadata\":{\"resourceVersion\":\"7\"},"
      + "\"items\":[" + GOOD + "," + BAD_SPEC + "," + BAD_STATUS + "]}";

  private static String rollout(String namespace, String name, String spec, String status) {
    return "{\"apiVersion\":\"sluice.dev/v1alpha1\",\"kind\":\"Rollout\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"" + namespace + "\",\"uid\":\"uid-" + name + "\",\"resourceVersion\":\"5\"},"
        + "\"spec\":" + spec + ",\"status\":" + status + "}";
  }

  private static List<Rollout> readList(KubernetesSerialization serialization) {
    DefaultKubernetesResourceList<Rollout> list = serialization.unmarshal(new ByteArrayInputStream(LIST.getBytes(StandardCharsets.UTF_8)),
        new com.fasterxml.jackson.core.type.TypeReference<DefaultKubernetesResourceList<Rollout>>() {});
    return list.getItems();
  }

  @Test
  void withoutToleranceOneOutOfRangeNumberSpoilsTheWholeList() {
    assertThatThrownBy(() -> readList(new KubernetesSerialization()))
        .rootCause().hasMessageContaining("(9000000000) out of range");
  }

  @Test
  void anUnreadableItemBecomesAPlaceholderSayingWhatAndTheOthersAreReadAsUsual() {
    List<Rollout> items = readList(UnreadableResources.serialization());

    assertThat(items).extracting(r -> r.getMetadata().getName()).containsExactly("good", "big", "patched");
    Rollout good = items.get(0);
    assertThat(good.getSpec().replicas()).isEqualTo(3);
    assertThat(good.getStatus().phase()).isEqualTo("Healthy");
    assertThat(UnreadableResources.problem(good)).isEmpty();

    Rollout big = items.get(1);
    assertThat(big.getSpec()).isNull();
    assertThat(big.getStatus()).isNull();
    assertThat(big.getMetadata().getNamespace()).isEqualTo("team-b");
    assertThat(big.getMetadata().getUid()).isEqualTo("uid-big");
    assertThat(big.getKind()).isEqualTo("Rollout");
    assertThat(UnreadableResources.problem(big)).hasValueSatisfying(p -> assertThat(p)
        .startsWith("spec.replicas: ").contains("(9000000000) out of range"));

    assertThat(UnreadableResources.problem(items.get(2))).hasValueSatisfying(p -> assertThat(p)
        .startsWith("status.canary.weights.canary.weight: ").contains("(9000000000) out of range"));
  }

  @Test
  void aWatchEventWithAnUnreadableObjectIsReadToo() {
    var serialization = UnreadableResources.serialization();
    serialization.registerKubernetesResource(Rollout.class); // as the client does for a resource it watches
    WatchEvent event = serialization.unmarshal("{\"type\":\"MODIFIED\",\"object\":" + BAD_STATUS + "}", WatchEvent.class);

    assertThat(event.getObject()).isInstanceOfSatisfying(Rollout.class,
        r -> assertThat(UnreadableResources.problem(r)).hasValueSatisfying(p -> assertThat(p).contains("(9000000000) out of range")));
  }

  @Test
  void aPlaceholderSurvivesTheCopyTheOperatorMakesBeforeAReconcile() {
    var serialization = UnreadableResources.serialization();
    AnalysisRun run = serialization.unmarshal("{\"apiVersion\":\"sluice.dev/v1alpha1\",\"kind\":\"AnalysisRun\","
        + "\"metadata\":{\"name\":\"r\",\"namespace\":\"n\"},\"spec\":{\"metrics\":\"not a list\"}}", AnalysisRun.class);

    AnalysisRun copy = serialization.clone(run);

    assertThat(UnreadableResources.problem(copy)).hasValueSatisfying(p -> assertThat(p).startsWith("spec.metrics: "));
    assertThat(copy.getMetadata().getName()).isEqualTo("r");
  }
}
