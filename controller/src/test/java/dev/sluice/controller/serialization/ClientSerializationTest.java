package dev.sluice.controller.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

class ClientSerializationTest {
  private static Object objectOf(String apiVersion, String kind) {
    WatchEvent event = ClientSerialization.create().unmarshal("{\"type\":\"MODIFIED\",\"object\":{\"apiVersion\":\"" + apiVersion
        + "\",\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\"x\",\"namespace\":\"n\",\"resourceVersion\":\"3\"}}}", WatchEvent.class);
    return event.getObject();
  }

  @Test
  void aWatchEventOfAWatchedKindIsReadAsItsClass() {
    assertThat(objectOf("sluice.dev/v1alpha1", "Rollout")).isInstanceOf(Rollout.class);
    assertThat(objectOf("sluice.dev/v1alpha1", "AnalysisRun")).isInstanceOf(AnalysisRun.class);
    assertThat(objectOf("apps/v1", "ReplicaSet")).isInstanceOf(ReplicaSet.class);
    assertThat(objectOf("batch/v1", "Job")).isInstanceOf(Job.class);
  }

  @Test
  void aWatchErrorIsReadAsAStatusSoThatTheWatchRestartsFromAList() {
    WatchEvent event = ClientSerialization.create().unmarshal("{\"type\":\"ERROR\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Status\","
        + "\"status\":\"Failure\",\"reason\":\"Expired\",\"code\":410,\"message\":\"too old resource version\"}}", WatchEvent.class);

    assertThat(event.getObject()).isInstanceOfSatisfying(Status.class, s -> assertThat(s.getCode()).isEqualTo(410));
  }

  @Test
  void aKindNobodyWatchesIsStillReadAsAGenericResource() {
    assertThat(objectOf("v1", "Pod")).isInstanceOfSatisfying(GenericKubernetesResource.class,
        r -> assertThat(r.getMetadata().getName()).isEqualTo("x"));
  }

  @Test
  void anUnreadableRolloutInAWatchEventBecomesAPlaceholder() {
    WatchEvent event = ClientSerialization.create().unmarshal("{\"type\":\"MODIFIED\",\"object\":{\"apiVersion\":\"sluice.dev/v1alpha1\","
        + "\"kind\":\"Rollout\",\"metadata\":{\"name\":\"big\",\"namespace\":\"n\"},\"spec\":{\"replicas\":9000000000}}}", WatchEvent.class);

    assertThat(event.getObject()).isInstanceOfSatisfying(Rollout.class,
        r -> assertThat(UnreadableResources.problem(r)).hasValueSatisfying(p -> assertThat(p).startsWith("spec.replicas: ")));
  }
}
