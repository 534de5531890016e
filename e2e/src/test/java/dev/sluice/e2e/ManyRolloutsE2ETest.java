package dev.sluice.e2e;

import static dev.sluice.e2e.Rollouts.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Twenty rollouts updated at once all finish; the API server's counters say what it cost. */
@RealCluster
class ManyRolloutsE2ETest {
  private static final int ROLLOUTS = 20;
  private static final int STEPS = 2;
  // writes the controller makes; reads come from its watches
  private static final Set<String> WRITE_VERBS = Set.of("POST", "PUT", "PATCH", "DELETE", "APPLY");

  @Test
  void twentyRolloutsUpdatedAtOnceAllBecomeHealthy(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    var rollouts = new Rollouts(k8s, ns.name());
    List<String> names = IntStream.range(0, ROLLOUTS).mapToObj(i -> "many-" + i).toList();
    try (var controller = new ControllerInJvm(cluster, ns.name())) {
      names.forEach(n -> rollouts.create(Rollouts.manifest(n, 2, "registry.example/app:1.0", "", "",
          "- setWeight: 50\n- pause: {duration: 1s}")));
      awaitAllHealthy(rollouts, names, "registry.example/app:1.0", k8s, ns);

      Map<String, Long> before = ApiServerRequests.snapshot(k8s);
      long started = System.nanoTime();
      names.forEach(n -> rollouts.setImage(n, "registry.example/app:2.0"));
      awaitAllHealthy(rollouts, names, "registry.example/app:2.0", k8s, ns);
      long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
      Map<String, Long> delta = ApiServerRequests.delta(before, ApiServerRequests.snapshot(k8s));

      long writes = delta.entrySet().stream()
          .filter(e -> WRITE_VERBS.contains(e.getKey().split(" ")[0]))
          .filter(e -> Set.of("rollouts/status", "replicasets", "services", "events").contains(e.getKey().split(" ")[1]))
          .mapToLong(Map.Entry::getValue).sum();
      System.out.printf("[scale] %d rollouts x %d steps updated at once: all Healthy after %d s%n", ROLLOUTS, STEPS, seconds);
      System.out.println("[scale] API server requests during the update (all clients), by verb and resource:");
      delta.forEach((k, v) -> System.out.printf("[scale]   %-40s %6d%n", k, v));
      System.out.printf("[scale] controller writes (rollouts/status, replicasets, services, events): %d = %.1f per rollout, %.1f per rollout per step%n",
          writes, writes / (double) ROLLOUTS, writes / (double) (ROLLOUTS * STEPS));
      assertThat(writes).isPositive();
    }
  }

  private static void awaitAllHealthy(Rollouts rollouts, List<String> names, String image, KubernetesClient k8s, TestNamespace ns) {
    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      var all = k8s.resources(dev.sluice.api.v1alpha1.Rollout.class).inNamespace(ns.name()).list().getItems();
      assertThat(all).hasSize(names.size()).allSatisfy(r -> {
        RolloutStatus s = r.getStatus();
        assertThat(s).isNotNull();
        assertThat(r.getSpec().template().getSpec().getContainers().get(0).getImage()).isEqualTo(image);
        assertThat(s.observedGeneration()).isEqualTo(r.getMetadata().getGeneration());
        assertThat(hasCondition(s, "Healthy", "True")).as(r.getMetadata().getName() + " Healthy").isTrue();
      });
    });
  }
}
