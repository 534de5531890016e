package dev.sluice.analysis.run;

import dev.sluice.api.v1alpha1.AnalysisRunStatus.Measurement;

/**
 * A measurement to take now: a new one, or the in-flight one to check again.
 *
 * @param number 1-based, counting every measurement this metric ever started (stable across
 *     restarts, so a Job made for it keeps its name)
 * @param inFlight the unfinished measurement to resume, or null to start a new one
 * @param last whether it is the metric's last measurement: the one that reaches its count
 */
public record DueMeasurement(String metric, int number, Measurement inFlight, boolean last) {
  public boolean resumes() {
    return inFlight != null;
  }
}
