package dev.sluice.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controller.CachedObjects;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Deployment cache keeps what a workloadRef reads and drops the rest. */
class DeploymentCacheTest {

  private static Deployment served() {
    Map<String, String> annotations = new HashMap<>(Map.of(
        CachedObjects.LAST_APPLIED, "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\"}",
        "team", "shop"));
    return new DeploymentBuilder()
        .withNewMetadata().withName("shop").withNamespace("prod").withGeneration(7L).withResourceVersion("42")
          .withAnnotations(annotations)
          .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Apply").build())
        .endMetadata()
        .withNewSpec().withReplicas(3)
          .withNewSelector().addToMatchLabels("app", "shop").endSelector()
          .withNewTemplate().withNewMetadata().addToLabels("app", "shop").endMetadata()
            .withNewSpec().addNewContainer().withName("app").withImage("shop:2").endContainer().endSpec()
          .endTemplate()
        .endSpec()
        .withNewStatus().withReplicas(3).withAvailableReplicas(3).endStatus()
        .build();
  }

  @Test
  void storesTheSpecAndIdentityWithoutManagedFieldsLastAppliedOrStatus() {
    ItemStore<Deployment> store = CachedObjects.deploymentStore();
    Deployment deployment = served();
    var template = new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder(deployment.getSpec().getTemplate()).build();

    store.put(store.getKey(deployment), deployment);
    Deployment kept = store.get("prod/shop");

    assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(kept.getMetadata().getAnnotations()).containsExactly(Map.entry("team", "shop"));
    assertThat(kept.getStatus()).isNull();
    assertThat(kept.getMetadata().getGeneration()).isEqualTo(7L);
    assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(kept.getSpec().getReplicas()).isEqualTo(3);
    assertThat(kept.getSpec().getTemplate()).isEqualTo(template);
    assertThat(PodTemplateHash.of(kept.getSpec().getTemplate())).isEqualTo(PodTemplateHash.of(template));
    assertThat(store.size()).isEqualTo(1);
  }
}
