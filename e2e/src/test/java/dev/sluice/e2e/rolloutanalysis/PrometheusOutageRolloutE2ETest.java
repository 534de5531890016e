package dev.sluice.e2e.rolloutanalysis;

import static dev.sluice.e2e.Rollouts.canaryWeight;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.Measurement;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.ControllerInJvm;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.e2e.Rollouts;
import dev.sluice.e2e.analysis.PrometheusServer;
import dev.sluice.e2e.analysis.ScrapeTarget;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

/**
 * Prometheus goes away while a rollout's background analysis measures: the measurements become
 * errors, the run ends in Error once consecutiveErrorLimit (2) is exceeded, and the rollout aborts
 * saying Prometheus was unreachable. The controller keeps working.
 */
@RealCluster
class PrometheusOutageRolloutE2ETest {

  @Test
  void theRolloutAbortsSayingPrometheusWasUnreachable(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) throws Exception {
    try (var canary = new ScrapeTarget();
        var prometheus = new PrometheusServer(canary.address());
        var controller = new ControllerInJvm(cluster, ns.name())) {
      canary.set("canary_error_ratio{test=\"outage\"}", "0.01");
      prometheus.awaitValue("canary_error_ratio{test=\"outage\"}", "0.01");
      new AnalysisTemplates(k8s, ns.name()).create(AnalysisTemplates.errorRate("error-rate", prometheus.address(), 0, 2));
      Rollouts rollouts = new Rollouts(k8s, ns.name());
      Timeline timeline = new Timeline(k8s, ns.name(), "outage");
      rollouts.create(Rollouts.manifest("outage", 4, "registry.example/app:1.0", "",
          AnalysisTemplates.background("error-rate", "outage", 0), "- setWeight: 25\n- pause: {}"));
      timeline.awaitStatus(60, "first template Healthy", s -> "Healthy".equals(s.phase()));
      rollouts.setImage("outage", "registry.example/app:2.0");
      timeline.note("image set to app:2.0");

      timeline.awaitStatus(60, "paused at the pause step, background analysis measuring", s -> "Paused".equals(s.phase())
          && s.canary().currentBackgroundAnalysisRunStatus() != null && successfulMeasurements(timeline) >= 2);
      prometheus.stop();
      timeline.note("Prometheus stopped");

      RolloutStatus aborted = timeline.awaitStatus(60, "aborted", s -> Boolean.TRUE.equals(s.abort()));
      timeline.printRuns();
      timeline.printEvents();

      String hash = aborted.currentPodHash();
      AnalysisRun run = timeline.runs().stream().filter(r -> r.getMetadata().getName().equals("outage-" + hash + "-2"))
          .findFirst().orElseThrow();
      var metric = run.getStatus().metricResults().get(0);
      assertThat(run.getStatus().phase()).isEqualTo("Error");
      assertThat(metric.consecutiveError()).as("two errors tolerated, the third ends the run").isEqualTo(3);
      assertThat(metric.measurements()).filteredOn(m -> m.phase().equals("Error")).extracting(Measurement::message)
          .allSatisfy(m -> assertThat(m).startsWith("Prometheus at " + prometheus.address() + " unreachable: "));
      assertThat(aborted.message()).startsWith("RolloutAborted: Rollout aborted update to revision 2: AnalysisRun \"outage-" + hash
          + "-2\" Error: metric \"error-rate\" assessed Error due to consecutiveError (3) > consecutiveErrorLimit (2): "
          + "Prometheus at " + prometheus.address() + " unreachable");
      assertThat(canaryWeight(aborted)).isZero();
      assertThat(aborted.phase()).isEqualTo("Degraded");

      // the controller is fine: the user can still act on the rollout
      rollouts.retry("outage");
      timeline.awaitStatus(60, "retried: a new background run, which errors at once (Prometheus is still down)",
          s -> s.canary() != null && s.canary().currentBackgroundAnalysisRunStatus() != null
              && s.canary().currentBackgroundAnalysisRunStatus().name().equals("outage-" + hash + "-2.1"));
    }
  }

  private static int successfulMeasurements(Timeline timeline) {
    return timeline.runs().stream()
        .filter(r -> r.getStatus() != null && r.getStatus().metricResults() != null && !r.getStatus().metricResults().isEmpty())
        .mapToInt(r -> r.getStatus().metricResults().get(0).successful())
        .max().orElse(0);
  }
}
