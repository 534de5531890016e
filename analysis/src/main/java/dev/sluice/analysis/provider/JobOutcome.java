package dev.sluice.analysis.provider;

import dev.sluice.analysis.AnalysisPhase;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.List;

/** Reads a Job's outcome from its conditions: Complete → Successful, Failed → Failed, else still running. */
final class JobOutcome {
  private JobOutcome() {}

  static ProviderResult of(Job job) {
    String name = job.getMetadata().getName();
    List<JobCondition> conditions = job.getStatus() == null || job.getStatus().getConditions() == null
        ? List.of() : job.getStatus().getConditions();
    // SuccessCriteriaMet and FailureTarget come first on newer API servers; Complete and Failed follow
    JobCondition failed = find(conditions, "Failed", "FailureTarget");
    if (failed != null) {
      String why = join(failed.getReason(), failed.getMessage());
      return new ProviderResult.Concluded(AnalysisPhase.Failed, null, "Job " + name + " failed" + (why.isEmpty() ? "" : ": " + why));
    }
    if (find(conditions, "Complete", "SuccessCriteriaMet") != null) {
      return new ProviderResult.Concluded(AnalysisPhase.Successful, null, "Job " + name + " completed");
    }
    return new ProviderResult.InProgress("Job " + name + " is running", null);
  }

  private static JobCondition find(List<JobCondition> conditions, String... types) {
    for (JobCondition c : conditions) {
      for (String type : types) {
        if (type.equals(c.getType()) && "True".equals(c.getStatus())) {
          return c;
        }
      }
    }
    return null;
  }

  private static String join(String reason, String message) {
    if (reason == null || reason.isBlank()) {
      return message == null ? "" : message;
    }
    return message == null || message.isBlank() ? reason : reason + ": " + message;
  }
}
