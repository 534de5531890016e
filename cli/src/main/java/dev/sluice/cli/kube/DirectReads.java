package dev.sluice.cli.kube;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.CliException;
import dev.sluice.api.Ownership;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * The reads of `get rollout`, `list rollouts` and `status --watch=false` as plain GETs over one HTTPS connection, without building the fabric8 client:
 * in a fresh process the client (its kubeconfig model, HTTP client and full JSON mapping) took most
 * of the command's time. It behaves as the client does: the same TLS trust (the kubeconfig's CA on
 * top of the JDK's), credentials and impersonation headers, one retry a second later on an I/O error,
 * 429 or 5xx, a 404 of one object read as "not there", and failures thrown as the client's exception (so they read
 * the same, {@link KubeErrors}). Used only when {@link DirectEndpoint} can say where to connect.
 */
public final class DirectReads implements RolloutReads {
  private static final String ALL_ROLLOUTS = "apis/" + Rollout.GROUP + "/" + Rollout.VERSION + "/rollouts";
  private static final String ROLLOUTS = "apis/" + Rollout.GROUP + "/" + Rollout.VERSION + "/namespaces/%s/rollouts";
  private static final String ANALYSIS_RUNS = "apis/" + Rollout.GROUP + "/" + Rollout.VERSION + "/namespaces/%s/analysisruns";
  private static final String REPLICA_SETS = "apis/apps/v1/namespaces/%s/replicasets";
  private static final long RETRY_AFTER_MILLIS = 1000;

  private final DirectEndpoint endpoint;
  private final SSLSocketFactory tls;

  private DirectReads(DirectEndpoint endpoint, SSLSocketFactory tls) {
    this.endpoint = endpoint;
    this.tls = tls;
  }

  /** Reads for the cluster the flags point at, or empty when only the full client can connect there as kubectl would. */
  public static Optional<DirectReads> open(ClusterOptions options) {
    Optional<DirectEndpoint> endpoint = DirectEndpoint.of(options);
    if (endpoint.isEmpty()) return Optional.empty();
    try {
      return Optional.of(new DirectReads(endpoint.get(), ClusterTls.socketFactory(endpoint.get())));
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      return Optional.empty(); // a key or certificate only fabric8 reads, or a broken one it reports
    }
  }

  /** The API server, as the client names it ("https://host:port/"). */
  public String server() {
    return endpoint.server();
  }

  @Override
  public String namespace() {
    return endpoint.namespace();
  }

  @Override
  public Rollout require(String name) {
    JsonNode stored = get(ROLLOUTS.formatted(segment(namespace())) + "/" + segment(name), true);
    if (stored == null) {
      throw new CliException("rollout \"" + name + "\" not found in namespace \"" + namespace() + "\"");
    }
    return StoredRollouts.readShown(stored);
  }

  @Override
  public StoredRollouts.Listing list(boolean allNamespaces) {
    JsonNode list = get(allNamespaces ? ALL_ROLLOUTS : ROLLOUTS.formatted(segment(namespace())), false);
    List<JsonNode> items = new ArrayList<>();
    list.path("items").forEach(items::add);
    return StoredRollouts.readAllShown(items);
  }

  @Override
  public List<ReplicaSet> replicaSets(Rollout rollout) {
    return Ownership.ownedBy(items(get(REPLICA_SETS.formatted(segment(namespace())), false), ReplicaSet.class, "ReplicaSetList"), rollout);
  }

  @Override
  public List<AnalysisRun> analysisRuns(Rollout rollout) {
    JsonNode list = get(ANALYSIS_RUNS.formatted(segment(namespace())), true);
    return list == null ? List.of() : Ownership.ownedBy(items(list, AnalysisRun.class, "AnalysisRunList"), rollout);
  }

  private static <T> List<T> items(JsonNode list, Class<T> type, String kind) {
    List<T> items = new ArrayList<>();
    try {
      for (JsonNode item : list.path("items")) items.add(ShownFields.read(item, type));
    } catch (JacksonException e) {
      throw new KubernetesClientException("cannot read the " + kind + ": " + e.getOriginalMessage(), e);
    }
    return items;
  }

  /** The JSON at {@code path} under the server; for a 404 null if {@code missingIsNull}, else the failure. */
  private JsonNode get(String path, boolean missingIsNull) {
    try {
      return getOnce(path, missingIsNull);
    } catch (Retry first) {
      try {
        Thread.sleep(RETRY_AFTER_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw first.failure;
      }
      try {
        return getOnce(path, missingIsNull);
      } catch (Retry second) {
        throw second.failure;
      }
    }
  }

  private JsonNode getOnce(String path, boolean missingIsNull) throws Retry {
    String url = endpoint.server() + path;
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) new URL(url).openConnection(Proxy.NO_PROXY);
      if (connection instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(tls);
        if (endpoint.insecure()) https.setHostnameVerifier((host, session) -> true);
      }
      connection.setConnectTimeout(Math.toIntExact(endpoint.connectTimeout().toMillis()));
      connection.setReadTimeout(Math.toIntExact(endpoint.readTimeout().toMillis()));
      connection.setRequestProperty("Accept", "application/json");
      if (endpoint.token() != null) connection.setRequestProperty("Authorization", "Bearer " + endpoint.token());
      if (endpoint.as() != null) {
        connection.setRequestProperty("Impersonate-User", endpoint.as());
        for (String group : endpoint.asGroups()) connection.addRequestProperty("Impersonate-Group", group);
      }
      int code = connection.getResponseCode();
      if (code == 404 && missingIsNull) {
        drain(connection.getErrorStream());
        return null;
      }
      if (code >= 200 && code < 300) {
        try (InputStream body = connection.getInputStream()) {
          return ShownFields.tree(body);
        }
      }
      byte[] body;
      try (InputStream error = connection.getErrorStream()) {
        body = error == null ? new byte[0] : error.readAllBytes();
      }
      KubernetesClientException failure = failure(url, code, connection.getResponseMessage(), body);
      if (code == 429 || code >= 500) throw new Retry(failure);
      throw failure;
    } catch (IOException e) {
      if (connection != null) connection.disconnect();
      throw new Retry(new KubernetesClientException("Failure executing: GET at: " + url + ".", e));
    }
  }

  /** As fabric8 reports an answer that is not a success: the Status the server sent, else one with the HTTP reason. */
  private static KubernetesClientException failure(String url, int code, String reason, byte[] body) {
    Status status = new Status();
    status.setCode(code);
    status.setMessage(reason == null ? "" : reason);
    try {
      JsonNode sent = body.length == 0 ? null : ShownFields.tree(new ByteArrayInputStream(body));
      if (sent != null && sent.isObject()) {
        status.setMessage(sent.path("message").textValue());
        status.setReason(sent.path("reason").textValue());
        if (sent.path("code").isInt()) status.setCode(sent.path("code").intValue());
      }
    } catch (IOException e) {
      // not JSON: the HTTP reason
    }
    return new KubernetesClientException("Failure executing: GET at: " + url + ". Message: " + status.getMessage() + ".", code, status);
  }

  private static void drain(InputStream stream) throws IOException {
    if (stream == null) return;
    try (stream) {
      stream.readAllBytes(); // so the connection is kept for the next request
    }
  }

  private static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static final class Retry extends Exception {
    final KubernetesClientException failure;

    Retry(KubernetesClientException failure) {
      super(null, null, false, false);
      this.failure = failure;
    }
  }
}
