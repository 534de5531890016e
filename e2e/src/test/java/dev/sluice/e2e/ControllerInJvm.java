package dev.sluice.e2e;

import dev.sluice.controller.SluiceController;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.Set;

/** The real controller, run inside the test JVM against the local cluster, watching one namespace. */
public final class ControllerInJvm implements AutoCloseable {
  private final KubernetesClient client;
  private final SluiceController controller;

  public ControllerInJvm(LocalCluster cluster, String namespace) {
    // its own client, as a separately deployed controller would have
    client = LocalCluster.clientFor(cluster.kubeconfig());
    controller = new SluiceController(client, new SluiceController.Options(Set.of(namespace), null, null), Clock.systemUTC())
        .start();
  }

  @Override
  public void close() {
    controller.close();
    client.close();
  }
}
