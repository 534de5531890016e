package dev.sluice.cli.kube;

import dev.sluice.cli.CliException;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A client for the cluster the flags point at, the way kubectl picks it: --kubeconfig or
 * $KUBECONFIG or ~/.kube/config, --context or the current context, -n or the context's namespace.
 */
public final class KubeConnection implements AutoCloseable {
  // a person is waiting: fail fast instead of fabric8's default ten retries
  private static final int RETRIES = 1;

  private final KubernetesClient client;
  private final String namespace;

  private KubeConnection(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  public static KubeConnection open(ClusterOptions options) {
    Config config = config(options);
    config.setRequestRetryBackoffLimit(RETRIES);
    String namespace = options.namespace() != null ? options.namespace()
        : config.getNamespace() != null ? config.getNamespace() : "default";
    return new KubeConnection(new KubernetesClientBuilder().withConfig(config).build(), namespace);
  }

  static Config config(ClusterOptions options) {
    Config config;
    try {
      if (options.kubeconfig() != null) {
        if (!Files.isReadable(options.kubeconfig())) {
          throw new CliException("kubeconfig " + options.kubeconfig() + " does not exist or cannot be read");
        }
        config = Config.fromKubeconfig(options.context(), options.kubeconfig().toFile());
      } else {
        config = Config.autoConfigure(options.context());
      }
    } catch (KubernetesClientException e) {
      throw new CliException("cannot read the kubeconfig: " + e.getMessage());
    }
    if (options.context() != null) {
      // fabric8 quietly falls back to the current context when the named one does not exist
      List<String> names = config.getContexts() == null ? List.of()
          : config.getContexts().stream().map(NamedContext::getName).collect(Collectors.toList());
      if (!names.contains(options.context())) {
        throw new CliException("context \"" + options.context() + "\" is not in the kubeconfig"
            + (names.isEmpty() ? "" : " (contexts: " + String.join(", ", names) + ")"));
      }
    }
    return config;
  }

  public KubernetesClient client() {
    return client;
  }

  public String namespace() {
    return namespace;
  }

  public String server() {
    return client.getConfiguration().getMasterUrl();
  }

  @Override
  public void close() {
    client.close();
  }
}
