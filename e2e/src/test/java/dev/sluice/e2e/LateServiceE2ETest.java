package dev.sluice.e2e;

import static dev.sluice.e2e.Rollouts.hasCondition;
import static org.awaitility.Awaitility.await;

import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A Rollout whose Services do not exist yet waits for them, and goes on as soon as they are created. */
@RealCluster
class LateServiceE2ETest {

  @Test
  void aServiceCreatedAfterItsRolloutWakesIt(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    var rollouts = new Rollouts(k8s, ns.name());
    try (var controller = new ControllerInJvm(cluster, ns.name())) {
      rollouts.create(Rollouts.manifest("late", 2, "registry.example/app:1.0", "",
          "canaryService: late-canary\nstableService: late-stable", "- setWeight: 50\n- pause: {}"));
      // it waits (and what it wrote has stopped waking it): only the Services' creation can wake it after this
      await().atMost(Duration.ofSeconds(60)).during(Duration.ofSeconds(3)).until(() -> {
        var s = rollouts.status("late");
        return s != null && s.message() != null && s.message().contains("ServiceNotFound");
      });

      for (String name : new String[] {"late-canary", "late-stable"}) {
        k8s.services().inNamespace(ns.name()).resource(new ServiceBuilder()
            .withNewMetadata().withName(name).endMetadata()
            .withNewSpec().addToSelector("app", "late").addNewPort().withPort(80).endPort().endSpec()
            .build()).create();
      }

      await().atMost(Duration.ofSeconds(60)).until(() -> hasCondition(rollouts.status("late"), "Healthy", "True"));
    }
  }
}
