package dev.sluice.cli.kube;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.CliException;
import dev.sluice.cli.actions.Ownership;
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
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

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
  private static final Pattern PEM_KEY = Pattern.compile("-----BEGIN (RSA )?PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1?PRIVATE KEY-----");

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
      return Optional.of(new DirectReads(endpoint.get(), tls(endpoint.get())));
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

  // TLS as fabric8 sets it up: the kubeconfig's CA trusted besides the JDK's own, the client certificate if any

  private static SSLSocketFactory tls(DirectEndpoint endpoint) throws GeneralSecurityException, IOException {
    TrustManager[] trust;
    if (endpoint.insecure()) {
      trust = new TrustManager[] {new TrustAll()};
    } else if (endpoint.caPem() != null) {
      trust = new TrustManager[] {new CaThenDefault(trustManager(certificates(endpoint.caPem())))};
    } else {
      trust = null; // the JDK's
    }
    KeyManagerFactory keys = null;
    if (endpoint.clientCertPem() != null) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("client", privateKey(endpoint.clientKeyPem()), new char[0],
          certificates(endpoint.clientCertPem()).toArray(Certificate[]::new));
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, new char[0]);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys == null ? null : keys.getKeyManagers(), trust, null);
    return context.getSocketFactory();
  }

  private static List<? extends Certificate> certificates(String pem) throws CertificateException {
    List<? extends Certificate> certificates = new ArrayList<>(CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
    if (certificates.isEmpty()) throw new CertificateException("no certificate");
    return certificates;
  }

  private static X509TrustManager trustManager(List<? extends Certificate> certificates) throws GeneralSecurityException, IOException {
    KeyStore store = null;
    if (certificates != null) {
      store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < certificates.size(); i++) store.setCertificateEntry("ca-" + i, certificates.get(i));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) return x509;
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  /** An unencrypted PKCS #8 key (RSA or EC) or PKCS #1 RSA key; anything else is left to fabric8. */
  static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    Matcher matcher = PEM_KEY.matcher(pem);
    if (!matcher.find()) throw new GeneralSecurityException("not a PEM private key fabric8's reader is needed for");
    byte[] der = Base64.getMimeDecoder().decode(matcher.group(2));
    if (matcher.group(1) != null) {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8OfRsa(der)));
    }
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException notRsa) {
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    }
  }

  /** PKCS #8's PrivateKeyInfo around a PKCS #1 RSAPrivateKey: version 0, rsaEncryption, the key as an octet string. */
  private static byte[] pkcs8OfRsa(byte[] pkcs1) {
    byte[] versionAndAlgorithm = {0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    byte[] key = der(0x04, pkcs1);
    byte[] content = new byte[versionAndAlgorithm.length + key.length];
    System.arraycopy(versionAndAlgorithm, 0, content, 0, versionAndAlgorithm.length);
    System.arraycopy(key, 0, content, versionAndAlgorithm.length, key.length);
    return der(0x30, content);
  }

  private static byte[] der(int tag, byte[] content) {
    int n = content.length;
    byte[] length = n < 0x80 ? new byte[] {(byte) n}
        : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
        : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
        : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    byte[] out = new byte[1 + length.length + n];
    out[0] = (byte) tag;
    System.arraycopy(length, 0, out, 1, length.length);
    System.arraycopy(content, 0, out, 1 + length.length, n);
    return out;
  }

  /** The kubeconfig's CA, and the JDK's trusted roots (loaded only when the CA does not vouch for the server). */
  private static final class CaThenDefault implements X509TrustManager {
    private final X509TrustManager ca;
    private X509TrustManager jdk;

    CaThenDefault(X509TrustManager ca) {
      this.ca = ca;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      try {
        ca.checkServerTrusted(chain, authType);
      } catch (CertificateException notByTheCa) {
        try {
          if (jdk == null) jdk = trustManager(null);
        } catch (GeneralSecurityException | IOException e) {
          throw notByTheCa;
        }
        jdk.checkServerTrusted(chain, authType);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      ca.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return ca.getAcceptedIssuers();
    }
  }

  /** --insecure-skip-tls-verify, or the kubeconfig's insecure-skip-tls-verify: every certificate. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
