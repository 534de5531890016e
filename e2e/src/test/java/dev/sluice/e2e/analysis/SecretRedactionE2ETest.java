package dev.sluice.e2e.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.e2e.analysis.LocalHttpServer.Answer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bearer tokens from Secrets are used, but never written: not in the run's status, not in the
 * namespace's events, not in the controller's log, even when the far side echoes them back in an
 * error. Prometheus sits behind a gateway on 127.0.0.1 that wants a token (and quotes a wrong one
 * back); the web metric's server does the same.
 */
@RealCluster
class SecretRedactionE2ETest {
  private static final String GOOD = "e2e-good-" + UUID.randomUUID();
  private static final String WRONG = "e2e-wrong-" + UUID.randomUUID();
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

  private static CapturedLog log;
  private static ScrapeTarget canary;
  private static PrometheusServer prometheus;
  private static LocalHttpServer gateway;
  private static LocalHttpServer webServer;
  private static AnalysisController controller;
  private static AnalysisRuns runs;

  @BeforeAll
  static void start(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    log = new CapturedLog();
    canary = new ScrapeTarget();
    canary.set("canary_error_ratio{test=\"good\"}", "0.01");
    prometheus = new PrometheusServer(canary.address());
    prometheus.awaitValue("canary_error_ratio{test=\"good\"}", "0.01");
    HttpClient http = HttpClient.newHttpClient();
    gateway = new LocalHttpServer(request -> {
      if (!("Bearer " + GOOD).equals(request.authorization())) {
        return new Answer(401, "invalid credentials: " + request.authorization());
      }
      try {
        HttpResponse<String> forwarded = http.send(HttpRequest.newBuilder(URI.create(prometheus.address() + request.pathAndQuery()))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(forwarded.statusCode(), forwarded.body());
      } catch (IOException | InterruptedException e) {
        return new Answer(502, "gateway: " + e);
      }
    });
    webServer = new LocalHttpServer(request -> ("Bearer " + GOOD).equals(request.authorization())
        ? new Answer(200, "{\"ok\": true}")
        : new Answer(500, "{\"error\": \"rejected Authorization: " + request.authorization() + "\"}"));
    for (var secret : Map.of("prom-token", GOOD, "wrong-token", WRONG).entrySet()) {
      k8s.resource(new SecretBuilder().withNewMetadata().withName(secret.getKey()).endMetadata()
          .addToStringData("token", secret.getValue()).build()).inNamespace(ns.name()).create();
    }
    controller = new AnalysisController(cluster, ns.name());
    runs = new AnalysisRuns(k8s, ns.name());
  }

  @AfterAll
  static void stop() throws Exception {
    if (controller != null) controller.close();
    if (gateway != null) gateway.close();
    if (webServer != null) webServer.close();
    if (prometheus != null) prometheus.close();
    if (canary != null) canary.close();
    if (log != null) log.close();
  }

  @Test
  void tokensAreUsedButNeverAppearInStatusEventsOrLog(KubernetesClient k8s, TestNamespace ns) {
    runs.create("bearer-token.yaml", Map.of("NAME", "bearer-good", "GATEWAY", gateway.url(), "SECRET", "prom-token"));
    runs.create("bearer-token.yaml", Map.of("NAME", "bearer-wrong", "GATEWAY", gateway.url(), "SECRET", "wrong-token"));
    runs.create("web-secret-header.yaml", Map.of("NAME", "web-good", "URL", webServer.url() + "/health", "SECRET", "prom-token"));
    runs.create("web-secret-header.yaml", Map.of("NAME", "web-wrong", "URL", webServer.url() + "/health", "SECRET", "wrong-token"));

    assertThat(runs.awaitCompletion("bearer-good", RUN_TIMEOUT).phase()).as("the token reached Prometheus").isEqualTo("Successful");
    assertThat(runs.awaitCompletion("web-good", RUN_TIMEOUT).phase()).as("the token reached the web server").isEqualTo("Successful");
    assertThat(runs.awaitCompletion("bearer-wrong", RUN_TIMEOUT).phase()).isEqualTo("Error");
    assertThat(runs.awaitCompletion("web-wrong", RUN_TIMEOUT).phase()).isEqualTo("Error");
    assertThat(gateway.seen()).anyMatch(s -> ("Bearer " + GOOD).equals(s.authorization()))
        .anyMatch(s -> ("Bearer " + WRONG).equals(s.authorization()));

    // the wrong token was echoed back by both servers: status shows the echo, masked
    assertThat(runs.status("bearer-wrong").message())
        .endsWith("Prometheus at " + gateway.url() + " answered HTTP 401 with something that is not JSON: invalid credentials: Bearer *****");
    assertThat(runs.status("web-wrong").message()).contains("rejected Authorization: Bearer *****");

    String statuses = k8s.resources(AnalysisRun.class).inNamespace(ns.name()).list().getItems().stream()
        .map(r -> k8s.getKubernetesSerialization().asJson(r)).collect(Collectors.joining("\n"));
    // events are recorded after the status writes waited on above
    String events = await("the runs' events").atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(200))
        .until(() -> k8s.v1().events().inNamespace(ns.name()).list().getItems().stream()
            .map(e -> e.getReason() + ": " + e.getMessage()).collect(Collectors.joining("\n")),
            all -> all.split("AnalysisRunError", -1).length > 2);
    String controllerLog = log.text();
    System.out.println("[analysis] events of the namespace:\n" + events);

    assertThat(statuses).contains("*****").doesNotContain(GOOD).doesNotContain(WRONG);
    assertThat(events).contains("AnalysisRunError").contains("*****").doesNotContain(GOOD).doesNotContain(WRONG);
    assertThat(controllerLog).as("the captured log is the controller's").contains("/bearer-wrong AnalysisRunError")
        .contains("*****").doesNotContain(GOOD).doesNotContain(WRONG);
    assertThat(k8s.v1().events().inNamespace(ns.name()).list().getItems()).extracting(Event::getMessage)
        .noneMatch(m -> m.contains(GOOD) || m.contains(WRONG));
  }
}
