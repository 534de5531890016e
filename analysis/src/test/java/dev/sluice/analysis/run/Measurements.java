package dev.sluice.analysis.run;

import dev.sluice.api.Timestamps;
import dev.sluice.analysis.AnalysisPhase;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.Measurement;
import java.time.Instant;

/** Finished and in-flight measurements for planner tests. */
final class Measurements {
  private Measurements() {}

  static Measurement finished(AnalysisPhase phase, Instant at, String message) {
    return new Measurement(phase.name(), phase == AnalysisPhase.Error ? null : "[0.5]", Timestamps.format(at),
        Timestamps.format(at), message, null);
  }

  static Measurement ok(Instant at) {
    return finished(AnalysisPhase.Successful, at, null);
  }

  static Measurement failed(Instant at) {
    return finished(AnalysisPhase.Failed, at, "successCondition \"result[0] < 0.05\" is false for [0.5]");
  }

  static Measurement inconclusive(Instant at) {
    return finished(AnalysisPhase.Inconclusive, at, "neither condition is true for [0.5]");
  }

  static Measurement error(Instant at) {
    return finished(AnalysisPhase.Error, at, "Prometheus at http://127.0.0.1:9090 unreachable: connection refused");
  }

  static Measurement running(Instant at) {
    return new Measurement(AnalysisPhase.Running.name(), null, Timestamps.format(at), null, "Job x is running", null);
  }
}
