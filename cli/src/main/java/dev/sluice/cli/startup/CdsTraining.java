package dev.sluice.cli.startup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.sluice.cli.SluiceCli;
import dev.sluice.cli.kube.ReadAhead;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The build's training run for the class-data sharing archive (not a user command): the Maven
 * build runs it once with -XX:DumpLoadedClassList and archives the classes it loaded
 * (-Xshare:dump), so the classes the usual commands load are archived and kubectl-sluice starts
 * faster. It needs no cluster: a fake API server on 127.0.0.1 answers the requests of get, list and
 * status over TLS with a certificate signed by a cluster CA, both made by keytool for the run, and
 * asks for client certificates as API servers do (so the TLS handshake and the certificate path
 * checks are trained too). Exits non-zero when a command did not do what it does for users, so a
 * broken training run fails the build instead of silently making a useless archive.
 */
public final class CdsTraining {
  private static final String NAMESPACE = "training";
  private static final String ROLLOUT = """
      apiVersion: sluice.dev/v1alpha1
      kind: Rollout
      metadata: {name: web, namespace: training, uid: 0b6c1a52-0000-4000-8000-000000000001, generation: 2,
        creationTimestamp: "2025-03-01T12:00:00Z"}
      spec:
        replicas: 4
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: app, image: "registry.example/web:2"}]}
        strategy:
          canary:
            canaryService: web-canary
            stableService: web-stable
            steps: [{setWeight: 25}, {pause: {}}, {setWeight: 50}, {pause: {duration: 30s}}]
      status:
        phase: Paused
        message: "CanaryPauseStep: waiting for promote"
        observedGeneration: 2
        currentStepIndex: 1
        currentPodHash: 7c9f
        stableRS: 5d8b
        replicas: 4
        updatedReplicas: 1
        readyReplicas: 4
        availableReplicas: 4
        pauseConditions: [{reason: CanaryPauseStep, startTime: "2025-03-01T12:01:00Z"}]
        canary: {weights: {canary: {podTemplateHash: 7c9f, weight: 25}, stable: {podTemplateHash: 5d8b, weight: 75}}}
      """;
  private static final String REPLICA_SET = """
      apiVersion: apps/v1
      kind: ReplicaSet
      metadata:
        name: web-%1$s
        namespace: training
        creationTimestamp: "2025-03-01T12:00:00Z"
        labels: {app: web, sluice.dev/pod-template-hash: %1$s}
        annotations: {sluice.dev/revision: "%2$d"}
        ownerReferences: [{apiVersion: sluice.dev/v1alpha1, kind: Rollout, name: web,
          uid: 0b6c1a52-0000-4000-8000-000000000001, controller: true}]
      spec:
        replicas: %3$d
        selector: {matchLabels: {app: web, sluice.dev/pod-template-hash: %1$s}}
        template:
          metadata: {labels: {app: web, sluice.dev/pod-template-hash: %1$s}}
          spec: {containers: [{name: app, image: "registry.example/web:%2$d"}]}
      status: {replicas: %3$d, readyReplicas: %3$d, availableReplicas: %3$d}
      """;

  private static final String ALIAS = "training";
  private static final String CA = "training-ca";
  private static final String PASSWORD = "training";

  private CdsTraining() {}

  public static void main(String[] args) throws IOException, GeneralSecurityException {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "off"); // as Main does for users
    ReadAhead.start(); // as Main does for the cluster commands
    ObjectMapper json = new ObjectMapper();
    YAMLMapper yaml = new YAMLMapper();
    Object rollout = yaml.readValue(ROLLOUT, Object.class);
    Map<String, Object> replicaSets = list("ReplicaSetList", "apps/v1",
        yaml.readValue(REPLICA_SET.formatted("5d8b", 1, 3), Object.class),
        yaml.readValue(REPLICA_SET.formatted("7c9f", 2, 1), Object.class));
    Map<String, Object> rollouts = list("RolloutList", "sluice.dev/v1alpha1", rollout);
    Map<String, Object> analysisRuns = list("AnalysisRunList", "sluice.dev/v1alpha1");
    String prefix = "/apis/sluice.dev/v1alpha1/namespaces/" + NAMESPACE;
    Map<String, Object> answers = Map.of(
        prefix + "/rollouts/web", rollout,
        prefix + "/rollouts", rollouts,
        prefix + "/analysisruns", analysisRuns,
        "/apis/apps/v1/namespaces/" + NAMESPACE + "/replicasets", replicaSets);

    Path dir = Files.createTempDirectory("kubectl-sluice-training");
    KeyStore keyStore = serverKeyStore(dir);
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(serverTls(keyStore));
    server.createContext("/", exchange -> answer(exchange, json, answers.get(exchange.getRequestURI().getPath())));
    server.start();
    List<String> failures = new ArrayList<>();
    try {
      String address = "127.0.0.1:" + server.getAddress().getPort();
      Path kubeconfig = dir.resolve("kubeconfig");
      String ca = Base64.getEncoder().encodeToString(("-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder().encodeToString(keyStore.getCertificate(CA).getEncoded())
          + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII));
      Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          clusters: [{name: training, cluster: {server: "https://%s", certificate-authority-data: %s}}]
          users: [{name: training, user: {token: training}}]
          contexts: [{name: training, context: {cluster: training, user: training, namespace: training}}]
          current-context: training
          """.formatted(address, ca));
      Path manifest = dir.resolve("rollout.yaml");
      Files.writeString(manifest, ROLLOUT.replaceAll("(?s)\nstatus:.*", "\n"));
      String config = kubeconfig.toString();

      expect(failures, 0, "--help");
      expect(failures, 0, "get", "rollout", "--help");
      expect(failures, 0, "version");
      expect(failures, 0, "lint", "-f", manifest.toString());
      expect(failures, 0, "--kubeconfig", config, "get", "rollout", "web");
      expect(failures, 0, "--kubeconfig", config, "list", "rollouts");
      expect(failures, 0, "--kubeconfig", config, "status", "web", "--watch=false");
      expect(failures, 1, "--kubeconfig", config, "get", "rollout", "missing");
      // the commands that change something connect with the fabric8 client (get, list and status above
      // read without it): train it too; the fake server has no status subresource to patch, a 404
      expect(failures, 1, "--kubeconfig", config, "promote", "web");
    } finally {
      server.stop(0);
      try (var files = Files.list(dir)) {
        files.forEach(f -> f.toFile().delete());
      }
      Files.delete(dir);
    }
    if (!failures.isEmpty()) {
      failures.forEach(System.err::println);
      System.exit(1);
    }
    System.exit(0);
  }

  /**
   * As an API server's: a key and certificate for 127.0.0.1 signed by a cluster CA (so the client
   * validates a certificate path, not a trust anchor it was given), made by the JDK's keytool. The
   * returned store holds the server's key with its chain; the CA's certificate is under {@link #CA}.
   */
  private static KeyStore serverKeyStore(Path dir) throws IOException, GeneralSecurityException {
    Path file = dir.resolve("training.p12");
    String store = file.toString();
    keytool("-genkeypair", "-alias", CA, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=training-ca",
        "-ext", "bc:c", "-storetype", "PKCS12", "-keystore", store, "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1",
        "-storetype", "PKCS12", "-keystore", store, "-storepass", PASSWORD, "-keypass", PASSWORD);
    String request = dir.resolve("server.csr").toString();
    String signed = dir.resolve("server.crt").toString();
    keytool("-certreq", "-alias", ALIAS, "-file", request, "-keystore", store, "-storepass", PASSWORD);
    keytool("-gencert", "-alias", CA, "-infile", request, "-outfile", signed, "-validity", "2", "-ext", "san=ip:127.0.0.1",
        "-keystore", store, "-storepass", PASSWORD);
    keytool("-importcert", "-alias", ALIAS, "-file", signed, "-keystore", store, "-storepass", PASSWORD, "-noprompt");
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(file)) {
      keyStore.load(in, PASSWORD.toCharArray());
    }
    return keyStore;
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (process.waitFor() != 0) throw new IOException("keytool " + args[0] + " failed: " + output);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for keytool", e);
    }
  }

  /** The server's key and chain only (the CA's key stays out), asking clients for a certificate as an API server does. */
  private static HttpsConfigurator serverTls(KeyStore keyStore) throws GeneralSecurityException, IOException {
    KeyStore serverOnly = KeyStore.getInstance("PKCS12");
    serverOnly.load(null, null);
    serverOnly.setKeyEntry(ALIAS, keyStore.getKey(ALIAS, PASSWORD.toCharArray()), PASSWORD.toCharArray(),
        keyStore.getCertificateChain(ALIAS));
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(serverOnly, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setWantClientAuth(true);
        params.setSSLParameters(parameters);
      }
    };
  }

  private static Map<String, Object> list(String kind, String apiVersion, Object... items) {
    return Map.of("apiVersion", apiVersion, "kind", kind, "metadata", Map.of("resourceVersion", "1"), "items", List.of(items));
  }

  private static void answer(HttpExchange exchange, ObjectMapper json, Object body) throws IOException {
    byte[] bytes = body != null ? json.writeValueAsBytes(body)
        : "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}"
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(body != null ? 200 : 404, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void expect(List<String> failures, int exitCode, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int actual = SluiceCli.run(new PrintWriter(out), new PrintWriter(err), args);
    if (actual != exitCode) {
      failures.add("CDS training: kubectl sluice " + String.join(" ", args) + " exited " + actual + ", expected " + exitCode
          + "\n" + out + err);
    }
  }
}
