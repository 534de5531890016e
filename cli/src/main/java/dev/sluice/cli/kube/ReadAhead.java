package dev.sluice.cli.kube;

import dev.sluice.api.v1alpha1.AnalysisRun;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JSON mapping of the process's cluster connections, prepared on another core while the main
 * thread parses the command line and the kubeconfig and connects. In a fresh JVM most of a short
 * command's time goes to Jackson building its deserializers: the Rollout's alone (its pod template
 * reaches most of the Kubernetes core model) takes about as long as the TLS handshake. Nothing here
 * changes what is read or printed: the prepared mapping is the one fabric8 would make, only built
 * earlier, and a failure while preparing is left for the command itself to meet.
 */
public final class ReadAhead {
  private static final AtomicBoolean STARTED = new AtomicBoolean();
  private static final CompletableFuture<KubernetesSerialization> SERIALIZATION = new CompletableFuture<>();

  private ReadAhead() {}

  /**
   * Starts preparing, on a daemon thread, the kubeconfig reader and the readers of the kinds the
   * cluster commands read: Rollout, ReplicaSet list, AnalysisRun. Only the first call does anything.
   */
  public static void start() {
    if (!STARTED.compareAndSet(false, true)) return;
    Thread thread = new Thread(ReadAhead::prepare, "kubectl-sluice-read-ahead");
    thread.setDaemon(true);
    thread.start();
  }

  /** The serialization for a new client: the one {@link #start()} prepares, else a fresh one, as fabric8 makes by default. */
  static KubernetesSerialization serialization() {
    if (!STARTED.get()) return new KubernetesSerialization();
    try {
      return SERIALIZATION.join();
    } catch (CompletionException e) {
      return new KubernetesSerialization();
    }
  }

  private static void prepare() {
    KubernetesSerialization serialization;
    try {
      serialization = new KubernetesSerialization();
    } catch (RuntimeException | Error e) {
      SERIALIZATION.completeExceptionally(e);
      return;
    }
    SERIALIZATION.complete(serialization);
    try {
      // in the order the main thread needs them; fabric8 reads kubeconfig files with its static Serialization
      Serialization.unmarshal(KUBECONFIG, io.fabric8.kubernetes.api.model.Config.class);
      // as RolloutClient reads one: stored, then bound to the model
      StoredRollouts.read(serialization, serialization.unmarshal(ROLLOUT, GenericKubernetesResource.class));
      serialization.unmarshal(REPLICA_SETS, ReplicaSetList.class);
      serialization.unmarshal(ANALYSIS_RUN, AnalysisRun.class);
    } catch (RuntimeException | Error ignored) {
      // only a head start: the command reads with the same mapping and meets any error itself
    }
  }

  private static final String KUBECONFIG = """
      apiVersion: v1
      kind: Config
      clusters: [{name: a, cluster: {server: "https://127.0.0.1", certificate-authority-data: YQ==}}]
      users: [{name: a, user: {token: a}}]
      contexts: [{name: a, context: {cluster: a, user: a, namespace: a}}]
      current-context: a
      """;
  private static final String TEMPLATE =
      "{\"metadata\":{\"labels\":{\"app\":\"a\"}},\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"a:1\"}]}}";
  private static final String ROLLOUT = "{\"apiVersion\":\"sluice.dev/v1alpha1\",\"kind\":\"Rollout\","
      + "\"metadata\":{\"name\":\"a\",\"creationTimestamp\":\"2025-01-01T00:00:00Z\"},"
      + "\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"a\"}},\"template\":" + TEMPLATE
      + ",\"strategy\":{\"canary\":{\"steps\":[{\"setWeight\":50},{\"pause\":{}}]}}},"
      + "\"status\":{\"phase\":\"Healthy\",\"replicas\":1}}";
  private static final String REPLICA_SETS = "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSetList\",\"items\":[{"
      + "\"metadata\":{\"name\":\"a\",\"labels\":{\"app\":\"a\"},\"annotations\":{\"a\":\"1\"}},"
      + "\"spec\":{\"replicas\":1,\"template\":" + TEMPLATE + "},\"status\":{\"replicas\":1}}]}";
  private static final String ANALYSIS_RUN = "{\"apiVersion\":\"sluice.dev/v1alpha1\",\"kind\":\"AnalysisRun\","
      + "\"metadata\":{\"name\":\"a\"},\"status\":{\"phase\":\"Running\"}}";
}
