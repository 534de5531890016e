package dev.sluice.e2e.analysis;

import dev.sluice.controller.analysis.AnalysisRunReconciler;
import dev.sluice.e2e.LocalCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * The AnalysisRun controller in the test JVM, watching one namespace: a JOSDK operator with just
 * {@link AnalysisRunReconciler}, on its own client as a deployed controller would have.
 */
final class AnalysisController implements AutoCloseable {
  private final KubernetesClient client;
  private final Operator operator;
  private final AnalysisRunReconciler reconciler;

  AnalysisController(LocalCluster cluster, String namespace) {
    this(cluster, Set.of(namespace));
  }

  AnalysisController(LocalCluster cluster, Set<String> namespaces) {
    client = LocalCluster.clientFor(cluster.kubeconfig());
    operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    reconciler = AnalysisRunReconciler.register(operator, namespaces, Clock.systemUTC(), List.of(), List.of());
    operator.start();
  }

  boolean healthy() {
    var info = operator.getRuntimeInfo();
    return info.isStarted() && info.allEventSourcesAreHealthy();
  }

  @Override
  public void close() {
    operator.stop();
    reconciler.close();
    client.close();
  }
}
