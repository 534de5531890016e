package dev.sluice.analysis.provider;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Optional;

/**
 * Runs a Kubernetes Job per measurement. The measurement stays in flight while the Job runs (the
 * controller hears about the Job's changes through its informer) and ends with the Job's outcome.
 */
public final class JobProvider implements MeasurementProvider {
  private final JobStore jobs;

  public JobProvider(JobStore jobs) {
    this.jobs = jobs;
  }

  @Override
  public ProviderResult measure(MeasurementContext context) {
    Job wanted = AnalysisJobs.newJob(context.run(), context.metric(), context.number());
    String name = wanted.getMetadata().getName();
    Job job;
    try {
      Optional<Job> existing = jobs.get(context.run().namespace(), name);
      job = existing.isPresent() ? existing.get() : jobs.create(wanted);
    } catch (RuntimeException e) {
      return new ProviderResult.Failure("cannot create Job " + name + ": " + e.getMessage());
    }
    return JobOutcome.of(job);
  }

  @Override
  public ProviderResult resume(MeasurementContext context) {
    String name = AnalysisJobs.name(context.run().name(), context.metric().name(), context.number());
    try {
      return jobs.get(context.run().namespace(), name)
          .map(JobOutcome::of)
          .orElseGet(() -> new ProviderResult.Failure("Job " + name + " disappeared before it finished"));
    } catch (RuntimeException e) {
      return new ProviderResult.Failure("cannot read Job " + name + ": " + e.getMessage());
    }
  }

  @Override
  public void terminate(MeasurementContext context) {
    jobs.delete(context.run().namespace(), AnalysisJobs.name(context.run().name(), context.metric().name(), context.number()));
  }
}
