package dev.sluice.e2e.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.AnalysisRunStatus;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Job metrics on the local cluster, where KWOK makes a Job pod whose image contains "fail" exit 1. */
@RealCluster
class JobMetricE2ETest {
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);

  private static AnalysisController controller;
  private static AnalysisRuns runs;
  private static KubernetesClient k8s;
  private static String namespace;

  @BeforeAll
  static void start(LocalCluster cluster, KubernetesClient client, TestNamespace ns) {
    controller = new AnalysisController(cluster, ns.name());
    runs = new AnalysisRuns(client, ns.name());
    k8s = client;
    namespace = ns.name();
  }

  @AfterAll
  static void stop() {
    if (controller != null) controller.close();
  }

  @Test
  void aJobThatCompletesMakesTheRunSuccessful() {
    AnalysisRun run = runs.create("job.yaml", Map.of("NAME", "smoke-pass", "IMAGE", "registry.example/smoke:1.0"));

    AnalysisRunStatus status = runs.awaitCompletion("smoke-pass", RUN_TIMEOUT);

    assertThat(status.phase()).isEqualTo("Successful");
    assertThat(runs.metric("smoke-pass", "smoke-test").measurements().get(0).message()).isEqualTo("Job smoke-pass-smoke-test-1 completed");
    Job job = k8s.batch().v1().jobs().inNamespace(namespace).withName("smoke-pass-smoke-test-1").get();
    assertThat(job.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(run.getMetadata().getUid()));
    assertThat(job.getMetadata().getLabels()).containsEntry("suite", "smoke").containsEntry("sluice.dev/analysis-run", "smoke-pass");
    assertThat(k8s.batch().v1().jobs().inNamespace(namespace).withLabel("sluice.dev/analysis-run", "smoke-pass").list().getItems())
        .as("exactly one Job per measurement").hasSize(1);
  }

  @Test
  void aJobThatFailsFailsTheRun() {
    runs.create("job.yaml", Map.of("NAME", "smoke-fail", "IMAGE", "registry.example/smoke:fail"));

    AnalysisRunStatus status = runs.awaitCompletion("smoke-fail", RUN_TIMEOUT);

    assertThat(status.phase()).isEqualTo("Failed");
    assertThat(status.message()).startsWith("metric \"smoke-test\" assessed Failed due to failed (1) > failureLimit (0): "
        + "Job smoke-fail-smoke-test-1 failed");
    System.out.println("[analysis] failing job: " + status.message());
  }

  @Test
  void terminatingARunEndsItWithWhatItHasAndDeletesTheRunningJob() {
    runs.create("job-suspended.yaml", Map.of("NAME", "smoke-stop"));
    await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
      AnalysisRunStatus s = runs.status("smoke-stop");
      return s != null && s.metricResults() != null && !s.metricResults().isEmpty()
          && "Running".equals(s.metricResults().get(0).measurements().get(0).phase());
    });
    assertThat(k8s.batch().v1().jobs().inNamespace(namespace).withName("smoke-stop-smoke-test-1").get()).isNotNull();
    assertThat(runs.status("smoke-stop").phase()).isEqualTo("Running");

    runs.terminate("smoke-stop");
    AnalysisRunStatus status = runs.awaitCompletion("smoke-stop", RUN_TIMEOUT);

    assertThat(status.phase()).isEqualTo("Successful");
    assertThat(runs.metric("smoke-stop", "smoke-test").measurements().get(0).message()).isEqualTo("metric terminated");
    await("the in-flight Job is deleted").atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
      Job job = k8s.batch().v1().jobs().inNamespace(namespace).withName("smoke-stop-smoke-test-1").get();
      return job == null || job.getMetadata().getDeletionTimestamp() != null;
    });
  }
}
