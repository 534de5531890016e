package dev.sluice.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.analysis.AnalysisLabels;
import dev.sluice.analysis.AnalysisPhase;
import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import org.junit.jupiter.api.Test;

class AnalysisJobsTest {
  private static final RunReference RUN = new RunReference("team", "checkout-7d9f-2", "uid-1", "sluice.dev/v1alpha1", "AnalysisRun");

  @Test
  void theJobIsNamedAfterRunMetricAndNumberAndOwnedByTheRun() {
    var spec = new JobSpecBuilder().withBackoffLimit(0).withNewTemplate().withNewSpec().withRestartPolicy("Never")
        .addNewContainer().withName("t").withImage("smoke:1").endContainer().endSpec().endTemplate().build();
    Metric metric = new Metric("Smoke_Test", null, null, null, null, null, null, null, null, null,
        new MetricProvider(null, null, new MetricProvider.Job(new ObjectMetaBuilder().addToLabels("team", "a").build(), spec)));

    Job job = AnalysisJobs.newJob(RUN, metric, 3);

    assertThat(job.getMetadata().getName()).isEqualTo("checkout-7d9f-2-smoke-test-3");
    assertThat(job.getMetadata().getNamespace()).isEqualTo("team");
    assertThat(job.getMetadata().getLabels()).containsEntry("team", "a").containsEntry(AnalysisLabels.ANALYSIS_RUN, "checkout-7d9f-2");
    assertThat(job.getMetadata().getAnnotations()).containsEntry(AnalysisLabels.METRIC, "Smoke_Test").containsEntry(AnalysisLabels.MEASUREMENT, "3");
    assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getKind()).isEqualTo("AnalysisRun");
      assertThat(o.getUid()).isEqualTo("uid-1");
      assertThat(o.getController()).isTrue();
    });
    assertThat(job.getSpec()).isEqualTo(spec);
  }

  @Test
  void longNamesStayValidAndStable() {
    String run = "a-very-long-rollout-name-that-goes-on-and-on-6f7d9c8b5-background";
    String name = AnalysisJobs.name(run, "error-rate-over-the-last-five-minutes", 12);
    assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").endsWith("-12");
    assertThat(AnalysisJobs.name(run, "error-rate-over-the-last-five-minutes", 12)).isEqualTo(name);
    assertThat(AnalysisJobs.name(run, "error-rate-over-the-last-five-minutes-2", 12)).isNotEqualTo(name);
    assertThat(AnalysisJobs.runLabel(run + run)).hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void theOutcomeComesFromTheJobsConditions() {
    assertThat(JobOutcome.of(job(null, null))).isEqualTo(new ProviderResult.InProgress("Job j is running", null));
    assertThat(JobOutcome.of(job("Complete", null))).isEqualTo(new ProviderResult.Concluded(AnalysisPhase.Successful, null, "Job j completed"));
    assertThat(JobOutcome.of(job("Failed", "BackoffLimitExceeded")))
        .isEqualTo(new ProviderResult.Concluded(AnalysisPhase.Failed, null, "Job j failed: BackoffLimitExceeded: Job has reached the specified backoff limit"));
    assertThat(JobOutcome.of(job("SuccessCriteriaMet", null))).extracting(r -> ((ProviderResult.Concluded) r).phase()).isEqualTo(AnalysisPhase.Successful);
  }

  private static Job job(String condition, String reason) {
    var builder = new JobBuilder().withNewMetadata().withName("j").endMetadata();
    if (condition != null) {
      builder.withNewStatus().addNewCondition().withType(condition).withStatus("True").withReason(reason)
          .withMessage(reason == null ? null : "Job has reached the specified backoff limit").endCondition().endStatus();
    }
    return builder.build();
  }
}
