package dev.sluice.cli.kube;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Which cluster, as whom, and which namespace, as chosen by kubectl's connection flags; null (or an
 * empty list) means "as the kubeconfig says".
 */
public record ClusterOptions(
    Path kubeconfig, String context, String cluster, String user,
    String server, String token, boolean insecureSkipTlsVerify, Duration requestTimeout,
    String as, List<String> asGroups,
    String namespace, boolean allNamespaces) {

  public ClusterOptions {
    asGroups = asGroups == null ? List.of() : List.copyOf(asGroups);
  }

  /** The kubeconfig's current context, its namespace, and nothing overridden. */
  public static ClusterOptions defaults() {
    return new ClusterOptions(null, null, null, null, null, null, false, null, null, List.of(), null, false);
  }

  public ClusterOptions withKubeconfig(Path file) {
    return new ClusterOptions(file, context, cluster, user, server, token, insecureSkipTlsVerify, requestTimeout, as, asGroups, namespace, allNamespaces);
  }
}
