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
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prometheus goes away in the middle of a run: errors, then Error once consecutiveErrorLimit is exceeded. */
@RealCluster
class PrometheusOutageE2ETest {

  @Test
  void measurementsBecomeErrorsAndTheRunErrorsSayingPrometheusIsUnreachable(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns)
      throws Exception {
    try (var canary = new ScrapeTarget();
        var prometheus = startPrometheus(canary);
        var controller = new AnalysisController(cluster, ns.name())) {
      var runs = new AnalysisRuns(k8s, ns.name());
      runs.create("error-rate-until-terminated.yaml", Map.of("NAME", "outage", "TEST", "outage", "PROMETHEUS", prometheus.address()));
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
        AnalysisRunStatus s = runs.status("outage");
        return s != null && s.metricResults() != null && !s.metricResults().isEmpty() && s.metricResults().get(0).successful() >= 2;
      });
      assertThat(runs.status("outage").phase()).isEqualTo("Running");

      prometheus.stop();
      AnalysisRunStatus status = runs.awaitCompletion("outage", Duration.ofSeconds(60));

      var metric = runs.metric("outage", "error-rate");
      System.out.println("[analysis] Prometheus stopped mid-run: " + status.phase() + ": " + status.message());
      assertThat(status.phase()).isEqualTo("Error");
      assertThat(metric.error()).as("errors tolerated: consecutiveErrorLimit 2, the third ends the run").isEqualTo(3);
      assertThat(metric.consecutiveError()).isEqualTo(3);
      assertThat(metric.successful()).isGreaterThanOrEqualTo(2);
      assertThat(metric.measurements()).filteredOn(m -> m.phase().equals("Error")).extracting(Measurement::message)
          .allSatisfy(m -> assertThat(m).startsWith("Prometheus at " + prometheus.address() + " unreachable: "));
      assertThat(status.message()).startsWith("metric \"error-rate\" assessed Error due to consecutiveError (3) > consecutiveErrorLimit (2): "
          + "Prometheus at " + prometheus.address() + " unreachable");
      assertThat(controller.healthy()).isTrue();
    }
  }

  private static PrometheusServer startPrometheus(ScrapeTarget canary) {
    canary.set("canary_error_ratio{test=\"outage\"}", "0.01");
    var prometheus = new PrometheusServer(canary.address());
    prometheus.awaitValue("canary_error_ratio{test=\"outage\"}", "0.01");
    return prometheus;
  }
}
