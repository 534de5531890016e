package dev.sluice.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The job provider with an in-memory store: a Job of the same name that the run does not own is left alone. */
class JobProviderTest {
  private static final RunReference RUN = new RunReference("team", "web-abc-2-1", "run-uid", "sluice.dev/v1alpha1", "AnalysisRun");
  private static final Metric SMOKE = new Metric("smoke", null, null, null, null, null, null, null, null, null,
      new MetricProvider(null, null, new MetricProvider.Job(null, new JobSpecBuilder().withBackoffLimit(0).build())));
  private static final MeasurementContext CONTEXT = new MeasurementContext(RUN, SMOKE, 1, null);
  private static final String NAME = AnalysisJobs.name(RUN.name(), "smoke", 1);

  private final InMemoryJobs jobs = new InMemoryJobs();
  private final JobProvider provider = new JobProvider(jobs);

  @Test
  void createsItsJobAndFollowsIt() {
    assertThat(provider.measure(CONTEXT)).isInstanceOf(ProviderResult.InProgress.class);
    assertThat(jobs.created).containsExactly(NAME);

    provider.terminate(CONTEXT);
    assertThat(jobs.deleted).containsExactly(NAME);
  }

  @Test
  void aCompletedJobOfItsOwnFromBeforeARestartIsItsOutcome() {
    jobs.put(completed(NAME, "run-uid"));

    assertThat(provider.measure(CONTEXT)).isInstanceOf(ProviderResult.Concluded.class);
    assertThat(jobs.created).isEmpty();
  }

  @Test
  void someoneElsesJobOfThatNameIsNotAdoptedNorDeleted() {
    jobs.put(completed(NAME, "someone-else"));

    ProviderResult measured = provider.measure(CONTEXT);
    ProviderResult resumed = provider.resume(CONTEXT);
    provider.terminate(CONTEXT);

    String message = "Job " + NAME + " already exists and is not owned by AnalysisRun web-abc-2-1: it is left alone; delete or rename it";
    assertThat(measured).isEqualTo(new ProviderResult.Failure(message));
    assertThat(resumed).isEqualTo(new ProviderResult.Failure(message));
    assertThat(jobs.created).isEmpty();
    assertThat(jobs.deleted).isEmpty();
  }

  @Test
  void aJobWithoutAnyOwnerIsNotAdoptedEither() {
    jobs.put(completed(NAME, null));

    assertThat(provider.measure(CONTEXT)).isInstanceOf(ProviderResult.Failure.class);
  }

  private static Job completed(String name, String ownerUid) {
    var meta = new ObjectMetaBuilder().withName(name).withNamespace("team");
    if (ownerUid != null) {
      meta.addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("sluice.dev/v1alpha1").withKind("AnalysisRun")
          .withName("web-abc-2-1").withUid(ownerUid).withController(true).build());
    }
    return new JobBuilder().withMetadata(meta.build()).withNewStatus().addNewCondition().withType("Complete").withStatus("True")
        .endCondition().endStatus().build();
  }

  private static final class InMemoryJobs implements JobStore {
    final Map<String, Job> jobs = new LinkedHashMap<>();
    final List<String> created = new ArrayList<>();
    final List<String> deleted = new ArrayList<>();

    void put(Job job) {
      jobs.put(job.getMetadata().getName(), job);
    }

    @Override
    public Optional<Job> get(String namespace, String name) {
      return Optional.ofNullable(jobs.get(name));
    }

    @Override
    public Job create(Job job) {
      created.add(job.getMetadata().getName());
      put(job);
      return job;
    }

    @Override
    public void delete(String namespace, String name) {
      deleted.add(name);
      jobs.remove(name);
    }
  }
}
