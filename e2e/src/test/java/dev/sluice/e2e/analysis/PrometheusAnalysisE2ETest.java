package dev.sluice.e2e.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.AnalysisRunStatus;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.Measurement;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AnalysisRuns against a real Prometheus scraping a canary whose error ratio the test sets, with
 * the AnalysisRun controller running in this JVM.
 */
@RealCluster
class PrometheusAnalysisE2ETest {
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

  private static ScrapeTarget canary;
  private static PrometheusServer prometheus;
  private static AnalysisController controller;
  private static AnalysisRuns runs;
  private static TestNamespace namespace;

  @BeforeAll
  static void start(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    namespace = ns;
    canary = new ScrapeTarget();
    canary.set("canary_error_ratio{test=\"good\"}", "0.01");
    canary.set("canary_error_ratio{test=\"bad\"}", "0.2");
    canary.set("canary_error_ratio{test=\"borderline\"}", "0.07");
    canary.set("canary_error_ratio{test=\"no-traffic\"}", "NaN");
    prometheus = new PrometheusServer(canary.address());
    prometheus.awaitValue("canary_error_ratio{test=\"good\"}", "0.01");
    prometheus.awaitValue("canary_error_ratio{test=\"no-traffic\"}", "NaN");
    controller = new AnalysisController(cluster, ns.name());
    runs = new AnalysisRuns(k8s, ns.name());
  }

  @AfterAll
  static void stop() throws Exception {
    if (controller != null) controller.close();
    if (prometheus != null) prometheus.close();
    if (canary != null) canary.close();
  }

  private static Map<String, String> errorRate(String name, String test, int count, String success, String failure) {
    Map<String, String> values = new HashMap<>();
    values.put("NAME", name);
    values.put("TEST", test);
    values.put("COUNT", Integer.toString(count));
    values.put("SUCCESS", success);
    values.put("FAILURE", failure);
    values.put("PROMETHEUS", prometheus.address());
    return values;
  }

  /** A bad run must not have hurt the controller: a fresh good run still completes Successful. */
  private static void controllerStillWorks(String name) {
    runs.create("error-rate.yaml", errorRate(name, "good", 1, "result[0] < 0.05", ""));
    assertThat(runs.awaitCompletion(name, RUN_TIMEOUT).phase()).isEqualTo("Successful");
    assertThat(controller.healthy()).isTrue();
  }

  @Test
  void aHealthyCanaryMakesTheRunSuccessful() {
    runs.create("error-rate.yaml", errorRate("good", "good", 3, "result[0] < 0.05", "result[0] >= 0.1"));

    AnalysisRunStatus status = runs.awaitCompletion("good", RUN_TIMEOUT);

    assertThat(status.phase()).isEqualTo("Successful");
    var metric = runs.metric("good", "error-rate");
    assertThat(metric.phase()).isEqualTo("Successful");
    assertThat(metric.count()).isEqualTo(3);
    assertThat(metric.measurements()).extracting(Measurement::value).containsOnly("[0.01]");
    List<Instant> started = metric.measurements().stream().map(m -> Instant.parse(m.startedAt())).toList();
    for (int i = 1; i < started.size(); i++) {
      assertThat(Duration.between(started.get(i - 1), started.get(i))).as("one measurement per interval")
          .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }
    System.out.println("[analysis] good canary: " + status.phase() + ", measurements " + metric.measurements());
  }

  @Test
  void aFailingCanaryFailsTheRunNamingTheMetric() {
    runs.create("error-rate.yaml", errorRate("bad", "bad", 3, "result[0] < 0.05", "result[0] >= 0.1"));

    AnalysisRunStatus status = runs.awaitCompletion("bad", RUN_TIMEOUT);

    assertThat(status.phase()).isEqualTo("Failed");
    assertThat(status.message()).isEqualTo("metric \"error-rate\" assessed Failed due to failed (1) > failureLimit (0): "
        + "failureCondition \"result[0] >= 0.1\" is true for [0.2]");
    assertThat(runs.metric("bad", "error-rate").count()).as("stops at the first failure").isEqualTo(1);
    System.out.println("[analysis] bad canary: " + status.phase() + ": " + status.message());
  }

  @Test
  void aValueMeetingNeitherConditionIsInconclusive() {
    runs.create("error-rate.yaml", errorRate("borderline", "borderline", 3, "result[0] < 0.05", "result[0] >= 0.1"));

    AnalysisRunStatus status = runs.awaitCompletion("borderline", RUN_TIMEOUT);

    assertThat(status.phase()).isEqualTo("Inconclusive");
    assertThat(status.message()).contains("metric \"error-rate\" assessed Inconclusive")
        .contains("neither successCondition \"result[0] < 0.05\" nor failureCondition \"result[0] >= 0.1\" is true for [0.07]");
  }

  @Test
  void anEmptyQueryResultIsAClearMessageNotACrash() {
    runs.create("error-rate.yaml", errorRate("empty", "no-such-canary", 1, "result[0] < 0.05", ""));

    AnalysisRunStatus status = runs.awaitCompletion("empty", RUN_TIMEOUT);

    assertThat(status.phase()).isEqualTo("Error");
    assertThat(runs.metric("empty", "error-rate").measurements().get(0).message())
        .startsWith("the query returned an empty result (no series matched); successCondition \"result[0] < 0.05\" cannot be evaluated on []");
    assertThat(status.message()).contains("metric \"error-rate\" assessed Error").contains("empty result");
    controllerStillWorks("after-empty");
  }

  @Test
  void anEmptyResultCanBeHandledInTheConditionTheArgoWay() {
    runs.create("error-rate.yaml", errorRate("empty-ok", "no-such-canary", 1, "len(result) == 0 || result[0] < 0.05", ""));
    assertThat(runs.awaitCompletion("empty-ok", RUN_TIMEOUT).phase()).isEqualTo("Successful");
    assertThat(runs.metric("empty-ok", "error-rate").measurements().get(0).message())
        .isEqualTo("the query returned an empty result (no series matched)");
  }

  @Test
  void nanIsAMeasurementWithAClearMessage() {
    runs.create("error-rate.yaml", errorRate("nan", "no-traffic", 1, "result[0] < 0.05", ""));

    AnalysisRunStatus status = runs.awaitCompletion("nan", RUN_TIMEOUT);

    assertThat(status.phase()).isEqualTo("Failed");
    Measurement m = runs.metric("nan", "error-rate").measurements().get(0);
    assertThat(m.value()).isEqualTo("[NaN]");
    assertThat(m.message()).isEqualTo("the query returned NaN; successCondition \"result[0] < 0.05\" is false for [NaN]");

    runs.create("error-rate.yaml", errorRate("nan-tolerated", "no-traffic", 1, "isNaN(result[0]) || result[0] < 0.05", ""));
    assertThat(runs.awaitCompletion("nan-tolerated", RUN_TIMEOUT).phase()).isEqualTo("Successful");
  }

  @Test
  void aConditionThatDoesNotCompileEndsTheRunNamingIt() {
    runs.create("broken-condition.yaml", Map.of("NAME", "broken", "PROMETHEUS", prometheus.address()));

    AnalysisRunStatus status = runs.awaitCompletion("broken", RUN_TIMEOUT);

    assertThat(status.phase()).isEqualTo("Error");
    assertThat(status.message()).startsWith(
        "analysis spec invalid: metric \"error-rate\": successCondition \"result[0] <\" does not compile: at 1:");
    controllerStillWorks("after-broken");
  }

  @Test
  void aMissingSecretIsAClearMessage() {
    runs.create("missing-auth-secret.yaml", Map.of("NAME", "no-auth-secret", "PROMETHEUS", prometheus.address()));
    runs.create("missing-arg-secret.yaml", Map.of("NAME", "no-arg-secret", "PROMETHEUS", prometheus.address()));

    AnalysisRunStatus auth = runs.awaitCompletion("no-auth-secret", RUN_TIMEOUT);
    assertThat(auth.phase()).isEqualTo("Error");
    assertThat(runs.metric("no-auth-secret", "error-rate").measurements().get(0).message())
        .isEqualTo("prometheus authentication: Secret \"absent-prometheus-token\" not found in namespace \"" + namespace.name() + "\"");

    AnalysisRunStatus arg = runs.awaitCompletion("no-arg-secret", RUN_TIMEOUT);
    assertThat(arg.phase()).isEqualTo("Error");
    assertThat(arg.message()).isEqualTo("analysis spec invalid: argument \"tenant\": Secret \"absent-tenant\" not found in namespace \""
        + namespace.name() + "\"");
    controllerStillWorks("after-missing-secret");
  }

  @Test
  void aRestartedControllerContinuesTheRunWithoutLosingOrRepeatingMeasurements(LocalCluster cluster) {
    runs.create("error-rate.yaml", errorRate("restart", "good", 6, "result[0] < 0.05", ""));
    await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
      AnalysisRunStatus s = runs.status("restart");
      return s != null && s.metricResults() != null && !s.metricResults().isEmpty() && s.metricResults().get(0).count() >= 2;
    });
    controller.close();
    int countAtStop = runs.metric("restart", "error-rate").count();
    System.out.println("[analysis] controller stopped after " + countAtStop + " measurements");
    controller = new AnalysisController(cluster, namespace.name());

    AnalysisRunStatus status = runs.awaitCompletion("restart", RUN_TIMEOUT);

    assertThat(status.phase()).isEqualTo("Successful");
    var metric = runs.metric("restart", "error-rate");
    assertThat(metric.count()).isEqualTo(6);
    assertThat(metric.measurements()).hasSize(6);
    List<Instant> started = metric.measurements().stream().map(m -> Instant.parse(m.startedAt())).toList();
    for (int i = 1; i < started.size(); i++) {
      assertThat(Duration.between(started.get(i - 1), started.get(i)))
          .as("no measurement repeated across the restart (measurement %d)", i + 1).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }
  }
}
