package dev.sluice.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CachedObjectsTest {
  private static ObjectMeta meta() {
    return new ObjectMetaBuilder().withName("web-abc").withNamespace("shop").withResourceVersion("42")
        .withLabels(Map.of("sluice.dev/pod-template-hash", "abc"))
        .withAnnotations(Map.of("sluice.dev/revision", "3", CachedObjects.LAST_APPLIED, "{\"a whole\":\"copy\"}"))
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Apply").build())
        .build();
  }

  @Test
  void aReplicaSetIsCachedWithoutManagedFieldsLastAppliedAndContainersButWithWhatTheControllerReads() {
    var store = CachedObjects.replicaSetStore();
    ReplicaSet rs = new ReplicaSetBuilder().withMetadata(meta())
        .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector()
          .withNewTemplate().withNewMetadata().addToLabels("role", "canary").endMetadata()
          .withNewSpec().addNewContainer().withName("app").withImage("registry.example/app:2.0").endContainer()
          .withNewAffinity().withNewNodeAffinity().endNodeAffinity().endAffinity().endSpec().endTemplate().endSpec()
        .withNewStatus().withReplicas(2).withReadyReplicas(1).withAvailableReplicas(1).endStatus()
        .build();

    store.put(Cache.metaNamespaceKeyFunc(rs), rs);

    ReplicaSet cached = store.get("shop/web-abc");
    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(cached.getMetadata().getAnnotations()).containsExactly(Map.entry("sluice.dev/revision", "3"));
    assertThat(cached.getMetadata().getLabels()).containsEntry("sluice.dev/pod-template-hash", "abc");
    assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(cached.getSpec().getTemplate().getSpec().getContainers()).isNullOrEmpty();
    assertThat(cached.getSpec().getTemplate().getMetadata().getLabels()).as("pod roles read it").containsEntry("role", "canary");
    assertThat(cached.getSpec().getTemplate().getSpec().getAffinity().getNodeAffinity())
        .as("anti-affinity is merged into the user's affinity").isNotNull();
    assertThat(cached.getSpec().getReplicas()).isEqualTo(2);
    assertThat(cached.getStatus().getAvailableReplicas()).isEqualTo(1);
  }

  @Test
  void aRolloutKeepsItsSpecAndOtherAnnotations() {
    var store = CachedObjects.<Rollout>store();
    Rollout rollout = new Rollout();
    rollout.setMetadata(meta());
    rollout.getMetadata().getAnnotations().put("notifications.sluice.dev/subscribe.on-rollout-completed.slack", "#deploys");

    store.put("shop/web-abc", rollout);

    Rollout cached = store.get("shop/web-abc");
    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(cached.getMetadata().getAnnotations()).doesNotContainKey(CachedObjects.LAST_APPLIED)
        .containsEntry("notifications.sluice.dev/subscribe.on-rollout-completed.slack", "#deploys")
        .containsEntry("sluice.dev/revision", "3");
  }
}
