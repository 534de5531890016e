package dev.sluice.e2e.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.AnalysisRunStatus;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.Measurement;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.e2e.analysis.LocalHttpServer.Answer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Web metrics against an HTTP server on 127.0.0.1 whose answer the test decides. */
@RealCluster
class WebMetricE2ETest {
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
  private static final AtomicReference<Answer> answer = new AtomicReference<>();

  private static LocalHttpServer canary;
  private static AnalysisController controller;
  private static AnalysisRuns runs;

  @BeforeAll
  static void start(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    canary = new LocalHttpServer(request -> answer.get());
    controller = new AnalysisController(cluster, ns.name());
    runs = new AnalysisRuns(k8s, ns.name());
  }

  @AfterAll
  static void stop() {
    if (controller != null) controller.close();
    if (canary != null) canary.close();
  }

  @Test
  void aHealthyAnswerMakesTheRunSuccessfulWithArgumentsInUrlHeadersAndBody() {
    answer.set(new Answer(200, "{\"data\": {\"ok\": true, \"errorRate\": 0.01}}"));
    runs.create("web.yaml", Map.of("NAME", "web-get", "URL", canary.url(), "METHOD", "GET"));

    AnalysisRunStatus status = runs.awaitCompletion("web-get", RUN_TIMEOUT);

    assertThat(status.phase()).isEqualTo("Successful");
    assertThat(runs.metric("web-get", "health").measurements()).extracting(Measurement::value)
        .containsOnly("{\"ok\":true,\"errorRate\":0.01}").hasSize(2);
    assertThat(canary.seen()).filteredOn(s -> s.method().equals("GET")).isNotEmpty()
        .allSatisfy(s -> {
          assertThat(s.pathAndQuery()).isEqualTo("/health?service=checkout");
          assertThat(s.service()).isEqualTo("checkout");
        });
  }

  @Test
  void postSendsTheBodyAndABadAnswerFailsTheRun() {
    answer.set(new Answer(200, "{\"data\": {\"ok\": true, \"errorRate\": 0.3}}"));
    runs.create("web.yaml", Map.of("NAME", "web-post", "URL", canary.url(), "METHOD", "POST"));

    AnalysisRunStatus status = runs.awaitCompletion("web-post", RUN_TIMEOUT);

    assertThat(status.phase()).isEqualTo("Failed");
    assertThat(status.message()).isEqualTo("metric \"health\" assessed Failed due to failed (1) > failureLimit (0): "
        + "failureCondition \"result.errorRate >= 0.1\" is true for {\"ok\":true,\"errorRate\":0.3}");
    assertThat(canary.seen()).filteredOn(s -> s.method().equals("POST")).isNotEmpty()
        .allSatisfy(s -> assertThat(s.body()).isEqualTo("{\"service\": \"checkout\"}"));
  }

  @Test
  void anHttpErrorIsAClearMessage() {
    answer.set(new Answer(503, "{\"error\": \"warming up\"}"));
    runs.create("web.yaml", Map.of("NAME", "web-down", "URL", canary.url(), "METHOD", "GET"));

    AnalysisRunStatus status = runs.awaitCompletion("web-down", RUN_TIMEOUT);

    assertThat(status.phase()).isEqualTo("Error");
    assertThat(runs.metric("web-down", "health").measurements().get(0).message())
        .isEqualTo("web metric at " + canary.url() + "/health answered HTTP 503: {\"error\": \"warming up\"}");
  }
}
