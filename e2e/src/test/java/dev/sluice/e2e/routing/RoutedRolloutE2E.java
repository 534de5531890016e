package dev.sluice.e2e.routing;

import static org.awaitility.Awaitility.await;

import dev.sluice.e2e.ControllerInJvm;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.e2e.traffic.RoutingCrds;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every traffic-routed rollout test class needs: the routing CRDs, the real controller in the
 * test JVM watching the class's namespace, and the user's view of its rollouts. Subclasses are
 * {@code @RealCluster} and {@code @TestInstance(PER_CLASS)}.
 */
abstract class RoutedRolloutE2E {
  protected KubernetesClient k8s;
  protected String namespace;
  protected RoutedRollouts rollouts;
  private ControllerInJvm controller;

  @BeforeAll
  void startController(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    RoutingCrds.install(k8s);
    this.k8s = k8s;
    this.namespace = ns.name();
    rollouts = new RoutedRollouts(k8s, namespace);
    controller = new ControllerInJvm(cluster, namespace);
  }

  @AfterAll
  void stopController() {
    if (controller != null) controller.close();
  }

  static ConditionFactory within(int seconds) {
    return await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100));
  }
}
