package dev.sluice.cli.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** A client for the cluster the flags point at, configured the way kubectl would be ({@link ClientConfig}). */
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
    Config config = ClientConfig.of(options);
    config.setRequestRetryBackoffLimit(RETRIES);
    // HTTP/1.1: the API server answers a request without valid credentials over HTTP/2 and then sends
    // GOAWAY, which the JDK 17 client turns into "GOAWAY received" instead of the 401 or 403
    config.setHttp2Disable(true);
    String namespace = config.getNamespace() != null ? config.getNamespace() : "default";
    return new KubeConnection(new KubernetesClientBuilder().withConfig(config)
        .withKubernetesSerialization(ReadAhead.serialization()).build(), namespace);
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
