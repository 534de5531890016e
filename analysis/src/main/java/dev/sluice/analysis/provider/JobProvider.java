package dev.sluice.analysis.provider;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Optional;

/**
 * Runs a Kubernetes Job per measurement. The measurement stays in flight while the Job runs (the
 * controller hears about the Job's changes through its informer) and ends with the Job's outcome.
 * A Job of that name that the run does not own (by owner reference) is someone else's: it is never
 * read as the outcome nor deleted, and the measurement fails saying so.
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
    return outcome(job, context.run());
  }

  private static ProviderResult outcome(Job job, RunReference run) {
    if (!AnalysisJobs.ownedBy(job, run)) {
      return new ProviderResult.Failure(notOwned(job.getMetadata().getName(), run));
    }
    return JobOutcome.of(job);
  }

  private static String notOwned(String name, RunReference run) {
    return "Job " + name + " already exists and is not owned by AnalysisRun " + run.name()
        + ": it is left alone; delete or rename it";
  }

  @Override
  public ProviderResult resume(MeasurementContext context) {
    String name = AnalysisJobs.name(context.run().name(), context.metric().name(), context.number());
    try {
      return jobs.get(context.run().namespace(), name)
          .map(job -> outcome(job, context.run()))
          .orElseGet(() -> new ProviderResult.Failure("Job " + name + " disappeared before it finished"));
    } catch (RuntimeException e) {
      return new ProviderResult.Failure("cannot read Job " + name + ": " + e.getMessage());
    }
  }

  @Override
  public void terminate(MeasurementContext context) {
    String namespace = context.run().namespace();
    String name = AnalysisJobs.name(context.run().name(), context.metric().name(), context.number());
    if (jobs.get(namespace, name).filter(job -> AnalysisJobs.ownedBy(job, context.run())).isPresent()) {
      jobs.delete(namespace, name);
    }
  }
}
