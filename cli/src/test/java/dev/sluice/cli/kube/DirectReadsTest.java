package dev.sluice.cli.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.CliException;
import dev.sluice.cli.render.RolloutTable;
import dev.sluice.cli.render.RolloutTree;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `get rollout` without the fabric8 client shows what it showed with the client, and fails with the
 * same words: both read the same answers of a fake API server here, and what each shows (the tree,
 * or the error line) is compared.
 */
class DirectReadsTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final String ROLLOUTS = "/apis/sluice.dev/v1alpha1/namespaces/shop/rollouts/";
  private static final String REPLICA_SETS = "/apis/apps/v1/namespaces/shop/replicasets";
  private static final String ANALYSIS_RUNS = "/apis/sluice.dev/v1alpha1/namespaces/shop/analysisruns";
  private static final String OWNER = "\"ownerReferences\": [{\"apiVersion\": \"sluice.dev/v1alpha1\", \"kind\": \"Rollout\", "
      + "\"name\": \"web\", \"uid\": \"0b6c1a52-0000-4000-8000-000000000001\", \"controller\": true}]";

  private record Answer(int code, String body) {}

  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  /** Requests for {@link #NEVER_ANSWERED} wait for this, released when the test ends. */
  private final CountDownLatch unanswered = new CountDownLatch(1);
  private static final Answer NEVER_ANSWERED = new Answer(200, "");
  private HttpServer server;
  private Path kubeconfig;

  @BeforeEach
  void fakeApiServer(@TempDir Path dir) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      if (answers.get(exchange.getRequestURI().getPath()) == NEVER_ANSWERED) {
        try {
          unanswered.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Answer answer = exchange.getRequestHeaders().getFirst("Authorization").equals("Bearer shop-token")
          ? answers.getOrDefault(exchange.getRequestURI().getPath(), notFound())
          : new Answer(401, "{\"kind\": \"Status\", \"apiVersion\": \"v1\", \"status\": \"Failure\", \"message\": \"Unauthorized\", \"code\": 401}");
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.code(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    kubeconfig = dir.resolve("config");
    writeKubeconfig("http://127.0.0.1:" + server.getAddress().getPort(), "shop-token");
  }

  private void writeKubeconfig(String address, String token) throws IOException {
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: fake, cluster: {server: "%s"}}]
        users: [{name: shop, user: {token: %s}}]
        contexts: [{name: fake, context: {cluster: fake, user: shop, namespace: shop}}]
        current-context: fake
        """.formatted(address, token));
  }

  @AfterEach
  void stop() {
    unanswered.countDown();
    server.stop(0);
  }

  private static Answer notFound() {
    return new Answer(404, "{\"kind\": \"Status\", \"apiVersion\": \"v1\", \"status\": \"Failure\", \"message\": \"the server could not find the requested resource\", \"reason\": \"NotFound\", \"code\": 404}");
  }

  /** What `get rollout NAME` shows through these reads: the tree, or the error line. */
  private static String shown(RolloutReads reads, String server, String name) {
    try {
      Rollout rollout = reads.require(name);
      return RolloutTree.render(rollout, reads.replicaSets(rollout), reads.analysisRuns(rollout), NOW);
    } catch (CliException e) {
      return "error: " + e.getMessage();
    } catch (KubernetesClientException e) {
      return "error: " + KubeErrors.describe(e, server);
    }
  }

  /** What the command shows without the client, after checking that the client shows exactly the same. */
  private String shownBothWays(String name) {
    return shownBothWays(ClusterOptions.defaults().withKubeconfig(kubeconfig), name);
  }

  private String shownBothWays(ClusterOptions options, String name) {
    DirectReads direct = DirectReads.open(options).orElseThrow();
    String withoutClient = shown(direct, direct.server(), name);
    try (KubeConnection connection = KubeConnection.open(options)) {
      String withClient = shown(new RolloutClient(connection.client(), connection.namespace()), connection.server(), name);
      assertThat(withoutClient).isEqualTo(withClient);
    }
    return withoutClient;
  }

  @Test
  void aCanaryWithItsReplicaSetsAndAnalysisRunsShowsAsThroughTheClient() {
    answers.put(ROLLOUTS + "web", new Answer(200, """
        {"apiVersion": "sluice.dev/v1alpha1", "kind": "Rollout",
         "metadata": {"name": "web", "namespace": "shop", "uid": "0b6c1a52-0000-4000-8000-000000000001", "generation": 4},
         "spec": {"replicas": 4, "selector": {"matchLabels": {"app": "web"}},
                  "template": {"metadata": {"labels": {"app": "web"}},
                               "spec": {"containers": [{"name": "app", "image": "web:2", "ports": [{"containerPort": 8080}],
                                                        "resources": {"limits": {"cpu": "500m"}}}]}},
                  "strategy": {"canary": {"maxSurge": "25%", "analysis": {"templates": [{"templateName": "error-rate"}]},
                                          "steps": [{"setWeight": 25}, {"pause": {}}, {"analysis": {"templates": [{"templateName": "success-rate"}]}},
                                                    {"setWeight": 50}, {"pause": {"duration": "30s"}}]}}},
         "status": {"phase": "Paused", "message": "CanaryPauseStep: waiting for promote", "observedGeneration": 4,
                    "currentStepIndex": 1, "currentPodHash": "7c9f", "stableRS": "5d8b", "replicas": 5, "updatedReplicas": 1,
                    "readyReplicas": 5, "availableReplicas": 5,
                    "pauseConditions": [{"reason": "CanaryPauseStep", "startTime": "2025-03-01T11:59:00Z"}],
                    "canary": {"weights": {"canary": {"podTemplateHash": "7c9f", "weight": 25},
                                           "stable": {"podTemplateHash": "5d8b", "weight": 75}}}}}
        """));
    answers.put(REPLICA_SETS, new Answer(200, """
        {"apiVersion": "apps/v1", "kind": "ReplicaSetList", "metadata": {}, "items": [%s, %s,
          {"metadata": {"name": "other-1", "creationTimestamp": "2025-02-01T12:00:00Z"}, "spec": {"replicas": 1}}]}
        """.formatted(replicaSet("web-5d8b", "5d8b", 2, "web:1", 4), replicaSet("web-7c9f", "7c9f", 3, "web:2", 1))));
    answers.put(ANALYSIS_RUNS, new Answer(200, """
        {"apiVersion": "sluice.dev/v1alpha1", "kind": "AnalysisRunList", "metadata": {}, "items": [
          {"apiVersion": "sluice.dev/v1alpha1", "kind": "AnalysisRun",
           "metadata": {"name": "web-7c9f-3", "namespace": "shop", "creationTimestamp": "2025-03-01T11:59:30Z",
                        "labels": {"sluice.dev/analysis-type": "background"}, %s},
           "spec": {"metrics": [{"name": "error-rate", "provider": {"job": {"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "curl"}]}}}}}}]},
           "status": {"phase": "Running", "metricResults": [{"name": "error-rate", "phase": "Running", "count": 2, "successful": 2,
                      "measurements": [{"phase": "Successful", "value": "0.01"}, {"phase": "Successful", "value": "0.02"}]}]}}]}
        """.formatted(OWNER)));

    String shown = shownBothWays("web");

    assertThat(shown).startsWith("Name:          web\n")
        .contains("Status:        Paused (CanaryPauseStep)", "Images:        web:2 (canary)", "web:1 (stable)",
            "web-7c9f  revision 3  canary", "web-7c9f-3 (background)  Running")
        .doesNotContain("other-1");
  }

  private static String replicaSet(String name, String hash, int revision, String image, int replicas) {
    return """
        {"metadata": {"name": "%1$s", "namespace": "shop", "creationTimestamp": "2025-02-27T12:00:00Z",
                      "labels": {"app": "web", "sluice.dev/pod-template-hash": "%2$s"}, "annotations": {"sluice.dev/revision": "%3$d"}, %6$s},
         "spec": {"replicas": %5$d, "selector": {"matchLabels": {"app": "web"}},
                  "template": {"metadata": {"labels": {"app": "web"}},
                               "spec": {"containers": [{"name": "app", "image": "%4$s", "env": [{"name": "A", "value": "1"}]}],
                                        "volumes": [{"name": "v", "emptyDir": {}}]}}},
         "status": {"replicas": %5$d, "readyReplicas": %5$d, "availableReplicas": %5$d}}
        """.formatted(name, hash, revision, image, replicas, OWNER);
  }

  @Test
  void aBlueGreenWithoutAnalysisRunsInstalledShowsAsThroughTheClient() {
    answers.put(ROLLOUTS + "web", new Answer(200, """
        {"apiVersion": "sluice.dev/v1alpha1", "kind": "Rollout",
         "metadata": {"name": "web", "namespace": "shop", "uid": "0b6c1a52-0000-4000-8000-000000000001", "generation": 2},
         "spec": {"replicas": 2, "paused": true, "selector": {"matchLabels": {"app": "web"}},
                  "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "web:2"}]}},
                  "strategy": {"blueGreen": {"activeService": "web", "previewService": "web-preview", "autoPromotionSeconds": 60,
                                             "prePromotionAnalysis": {"templates": [{"templateName": "smoke"}]}}}},
         "status": {"phase": "Paused", "observedGeneration": 1, "currentPodHash": "7c9f", "stableRS": "5d8b",
                    "blueGreen": {"activeSelector": "5d8b", "previewSelector": "7c9f",
                                  "prePromotionAnalysisRunStatus": {"name": "web-7c9f-pre", "status": "Running"}},
                    "pauseConditions": [{"reason": "BlueGreenPause", "startTime": "2025-03-01T11:59:30Z"}]}}
        """));
    answers.put(REPLICA_SETS, new Answer(200, """
        {"apiVersion": "apps/v1", "kind": "ReplicaSetList", "metadata": {}, "items": [%s, %s]}
        """.formatted(replicaSet("web-5d8b", "5d8b", 1, "web:1", 2), replicaSet("web-7c9f", "7c9f", 2, "web:2", 2))));

    String shown = shownBothWays("web");

    assertThat(shown).contains("Strategy:      BlueGreen", "Preview:     web-preview → 7c9f", "(in 30s)",
        "paused by user", "controller has not yet seen the latest spec", "stable,active");
  }

  /** What `list rollouts` shows through these reads: the table and a line for each unreadable one, or the error line. */
  private static String listed(RolloutReads reads, String server) {
    try {
      StoredRollouts.Listing listing = reads.list(false);
      return RolloutTable.render(listing.rollouts(), false, NOW)
          + listing.unreadable().stream().map(u -> "error: " + u.line() + "\n").collect(Collectors.joining());
    } catch (KubernetesClientException e) {
      return "error: " + KubeErrors.describe(e, server);
    }
  }

  private String listedBothWays() {
    ClusterOptions options = ClusterOptions.defaults().withKubeconfig(kubeconfig);
    DirectReads direct = DirectReads.open(options).orElseThrow();
    String withoutClient = listed(direct, direct.server());
    try (KubeConnection connection = KubeConnection.open(options)) {
      assertThat(withoutClient).isEqualTo(listed(new RolloutClient(connection.client(), connection.namespace()), connection.server()));
    }
    return withoutClient;
  }

  @Test
  void aListWithAnUnreadableRolloutShowsAsThroughTheClient() {
    answers.put(ROLLOUTS.substring(0, ROLLOUTS.length() - 1), new Answer(200, """
        {"apiVersion": "sluice.dev/v1alpha1", "kind": "RolloutList", "metadata": {}, "items": [
          {"apiVersion": "sluice.dev/v1alpha1", "kind": "Rollout", "metadata": {"name": "alpha", "namespace": "shop", "generation": 1,
                                                                               "creationTimestamp": "2025-03-01T11:00:00Z"},
           "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "alpha"}},
                    "template": {"metadata": {"labels": {"app": "alpha"}}, "spec": {"containers": [{"name": "app", "image": "a:1"}]}},
                    "strategy": {"canary": {"steps": [{"setWeight": 50}]}}},
           "status": {"phase": "Healthy", "observedGeneration": 1, "readyReplicas": 2, "availableReplicas": 2}},
          {"apiVersion": "sluice.dev/v1alpha1", "kind": "Rollout", "metadata": {"name": "bravo", "namespace": "shop"},
           "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "bravo"}},
                    "template": {"metadata": {"labels": {"app": "bravo"}}, "spec": {"containers": [{"name": "app", "image": "b:1"}]}},
                    "strategy": {"canary": {"maxSurge": 9000000000, "steps": [{"setWeight": 50}]}}}}]}
        """));

    assertThat(listedBothWays().lines()).hasSize(3).anyMatch(l -> l.matches("alpha\\s+Canary\\s+Healthy\\s+.*"))
        .contains("error: rollout \"shop/bravo\" cannot be read by kubectl-sluice: spec.strategy.canary.maxSurge: "
            + "Cannot construct instance of IntOrString, problem: Either integer or string value needs to be provided (stored: 9000000000)");
  }

  @Test
  void aListWithoutTheCrdIsTheSameErrorLine() {
    assertThat(listedBothWays()).startsWith("error: not found: ").endsWith("(are the Sluice CRDs installed? kubectl apply --server-side -f crds/)");
  }

  @Test
  void aMissingRolloutIsTheSameErrorLine() {
    assertThat(shownBothWays("web")).isEqualTo("error: rollout \"web\" not found in namespace \"shop\"");
  }

  @Test
  void anUnreadableRolloutIsTheSameErrorLine() {
    answers.put(ROLLOUTS + "web", new Answer(200, """
        {"apiVersion": "sluice.dev/v1alpha1", "kind": "Rollout", "metadata": {"name": "web", "namespace": "shop"},
         "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                  "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "web:2"}]}},
                  "strategy": {"canary": {"maxSurge": 9000000000, "steps": [{"setWeight": 50}]}}}}
        """));

    assertThat(shownBothWays("web")).isEqualTo("error: rollout \"shop/web\" cannot be read by kubectl-sluice: spec.strategy.canary.maxSurge: "
        + "Cannot construct instance of IntOrString, problem: Either integer or string value needs to be provided (stored: 9000000000)");
  }

  @Test
  void refusalsOfTheServerAreTheSameErrorLine() throws IOException {
    answers.put(ROLLOUTS + "web", new Answer(403, """
        {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "Forbidden", "code": 403,
         "message": "rollouts.sluice.dev \\"web\\" is forbidden: User \\"bob\\" cannot get resource \\"rollouts\\" in API group \\"sluice.dev\\" in the namespace \\"shop\\""}
        """));
    assertThat(shownBothWays("web")).isEqualTo("error: forbidden: rollouts.sluice.dev \"web\" is forbidden: User \"bob\" cannot get resource "
        + "\"rollouts\" in API group \"sluice.dev\" in the namespace \"shop\"");

    answers.put(ROLLOUTS + "web", new Answer(500, "etcd is down"));
    assertThat(shownBothWays("web")).as("not a Status: the HTTP reason").isEqualTo("error: Internal Server Error");

    writeKubeconfig("http://127.0.0.1:" + server.getAddress().getPort(), "wrong-token");
    assertThat(shownBothWays("web")).isEqualTo("error: unauthorized: the Kubernetes API server at http://127.0.0.1:"
        + server.getAddress().getPort() + " rejected the credentials of the kubeconfig");
  }

  @Test
  void clientKeysReadAsKubeadmAndKindWriteThemPkcs1RsaAndPkcs8RsaOrEc() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    PrivateKey rsaKey = rsa.generateKeyPair().getPrivate();
    byte[] pkcs8 = rsaKey.getEncoded();
    byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length); // PrivateKeyInfo: header, version, rsaEncryption, octet string header
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    PrivateKey ecKey = ec.generateKeyPair().getPrivate();

    assertThat(ClusterTls.privateKey(pem("RSA PRIVATE KEY", pkcs1)).getEncoded()).isEqualTo(pkcs8);
    assertThat(ClusterTls.privateKey(pem("PRIVATE KEY", pkcs8)).getEncoded()).isEqualTo(pkcs8);
    assertThat(ClusterTls.privateKey(pem("PRIVATE KEY", ecKey.getEncoded()))).isEqualTo(ecKey);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  @Test
  void aServerThatDoesNotAnswerInTimeIsTheSameErrorLine() {
    answers.put(ROLLOUTS + "web", NEVER_ANSWERED);
    ClusterOptions options = new ClusterOptions(kubeconfig, null, null, null, null, null, false, Duration.ofMillis(300),
        null, List.of(), null, false);

    assertThat(shownBothWays(options, "web")).isEqualTo("error: no answer from the Kubernetes API server at http://127.0.0.1:"
        + server.getAddress().getPort() + " in time (--request-timeout, default 10s)");
  }

  @Test
  void anUnreachableServerIsTheSameErrorLine() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    writeKubeconfig("https://127.0.0.1:" + closed, "shop-token");

    assertThat(shownBothWays("web")).isEqualTo("error: cannot connect to the Kubernetes API server at https://127.0.0.1:" + closed
        + ": connection refused (is the cluster running, and is this the right context?)");
  }
}
