package dev.sluice.e2e;

import static dev.sluice.e2e.Rollouts.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Another tenant's Rollout that the controller cannot read (a number beyond an int: stored before
 * the CRD had bounds, in spec or written into status) stops nobody else: the API server now refuses
 * such numbers, and one already stored is reported on its own object while every other Rollout is
 * reconciled, also after a restart of the controller.
 */
@RealCluster
class UnreadableRolloutE2ETest {
  private static final Path LOGS = Path.of("target", "controller-logs");
  private static final ResourceDefinitionContext ROLLOUTS = new ResourceDefinitionContext.Builder()
      .withGroup("sluice.dev").withVersion("v1alpha1").withKind("Rollout").withPlural("rollouts").withNamespaced(true).build();
  /** (spec.replicas itself was always refused beyond an int: it is the scale subresource's) */
  private static final String BIG_SPEC = "progressDeadlineSeconds: 9000000000";
  private static final String STEPS = "- setWeight: 50\n- pause: {duration: 1s}";

  @Test
  void theApiServerRefusesNumbersTheControllerCouldNotRead(KubernetesClient k8s, TestNamespace ns) {
    var rollouts = new Rollouts(k8s, ns.name());
    assertThatThrownBy(() -> createUntyped(k8s, ns.name(), Rollouts.manifest("huge", 1, "registry.example/app:1.0", BIG_SPEC, "", STEPS)))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains("spec.progressDeadlineSeconds");
        });
    assertThatThrownBy(() -> rollouts.create(Rollouts.manifest("heavy", 1, "registry.example/app:1.0", "", "", "- setWeight: 20000")))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getMessage()).contains("setWeight"));

    rollouts.create(Rollouts.manifest("fine", 1, "registry.example/app:1.0", "", "", STEPS));
    assertThatThrownBy(() -> patchStatusUntyped(k8s, ns.name(), "fine", "{\"replicas\":9000000000}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains("status.replicas");
        });
  }

  @Test
  void anUnreadableRolloutInOneNamespaceStopsNoOtherNamespace(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns)
      throws Exception {
    String spoiledSpec = ns.name() + "-spec";
    String spoiledStatus = ns.name() + "-status";
    for (String name : List.of(spoiledSpec, spoiledStatus)) {
      k8s.resource(new NamespaceBuilder().withNewMetadata().withName(name).addToLabels("sluice.dev/e2e", "true").endMetadata().build())
          .create();
    }
    try {
      // as they could be stored before the CRD had bounds: with the CRD of that time
      UnboundedRolloutCrd.whileInstalled(cluster, () -> {
        createUntyped(k8s, spoiledSpec, Rollouts.manifest("big", 1, "registry.example/app:1.0", BIG_SPEC, "", STEPS));
        var patched = new Rollouts(k8s, spoiledStatus);
        patched.create(Rollouts.manifest("patched", 1, "registry.example/app:1.0", "", "", STEPS));
        patchStatusUntyped(k8s, spoiledStatus, "patched", "{\"replicas\":9000000000}");
      });

      var rollouts = new Rollouts(k8s, ns.name());
      rollouts.create(Rollouts.manifest("good", 2, "registry.example/app:1.0", "", "", STEPS));
      // all namespaces, as Sluice runs: one informer lists every tenant's Rollouts at once
      try (var controller = new ControllerProcess(cluster, null, LOGS.resolve("unreadable-1.log"))) {
        await().atMost(Duration.ofSeconds(90)).until(() -> hasCondition(rollouts.status("good"), "Healthy", "True"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          assertThat(unreadableEvents(k8s, spoiledSpec, "big")).anySatisfy(m -> assertThat(m).startsWith("cannot read spec.progressDeadlineSeconds: ")
              .contains("9000000000"));
          assertThat(unreadableEvents(k8s, spoiledStatus, "patched")).anySatisfy(m -> assertThat(m).startsWith("cannot read status.replicas: "));
        });
        controller.kill();
        assertThat(controller.output()).doesNotContain("will stop");
      }

      // a restart reads the same list again: still nobody stopped
      rollouts.setImage("good", "registry.example/app:2.0");
      try (var controller = new ControllerProcess(cluster, null, LOGS.resolve("unreadable-2.log"))) {
        await().atMost(Duration.ofSeconds(90)).until(() -> {
          var s = rollouts.status("good");
          return s != null && hasCondition(s, "Healthy", "True") && s.stableRS() != null && s.stableRS().equals(s.currentPodHash())
              && rollouts.get("good").getMetadata().getGeneration().equals(s.observedGeneration());
        });
        assertThat(controller.output()).doesNotContain("will stop");
      }
    } finally {
      for (String name : List.of(spoiledSpec, spoiledStatus)) {
        k8s.namespaces().withName(name).delete();
      }
    }
  }

  // untyped, as kubectl sends them: the typed model could not even hold these numbers on the client side
  private static void createUntyped(KubernetesClient k8s, String namespace, String yaml) {
    GenericKubernetesResource rollout = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    k8s.genericKubernetesResources(ROLLOUTS).inNamespace(namespace).resource(rollout).create();
  }

  private static void patchStatusUntyped(KubernetesClient k8s, String namespace, String name, String mergePatchOfStatus) {
    k8s.genericKubernetesResources(ROLLOUTS).inNamespace(namespace).withName(name).subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":" + mergePatchOfStatus + "}");
  }

  private static List<String> unreadableEvents(KubernetesClient k8s, String namespace, String name) {
    return k8s.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()) && "Unreadable".equals(e.getReason()))
        .map(e -> e.getMessage())
        .toList();
  }
}
