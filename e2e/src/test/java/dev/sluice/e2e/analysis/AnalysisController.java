package dev.sluice.e2e.analysis;

import dev.sluice.controller.analysis.AnalysisRunReconciler;
import dev.sluice.e2e.LocalCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.util.Set;

/**
 * The AnalysisRun controller in the test JVM, watching one namespace: a JOSDK operator with just
 * {@link AnalysisRunReconciler}, on its own client as a deployed controller would have.
 */
final class AnalysisController implements AutoCloseable {
  private final KubernetesClient client;
  private final Operator operator;

  AnalysisController(LocalCluster cluster, String namespace) {
    client = LocalCluster.clientFor(cluster.kubeconfig());
    operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    AnalysisRunReconciler.register(operator, Set.of(namespace), Clock.systemUTC());
    operator.start();
  }

  boolean healthy() {
    var info = operator.getRuntimeInfo();
    return info.isStarted() && info.allEventSourcesAreHealthy();
  }

  @Override
  public void close() {
    operator.stop();
    client.close();
  }
}
