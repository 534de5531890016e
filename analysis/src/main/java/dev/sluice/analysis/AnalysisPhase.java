package dev.sluice.analysis;

/** Phases of an AnalysisRun, of one of its metrics, and of one measurement (Argo Rollouts' names). */
public enum AnalysisPhase {
  Pending,
  Running,
  Successful,
  Failed,
  Error,
  Inconclusive;

  public boolean completed() {
    return this == Successful || this == Failed || this == Error || this == Inconclusive;
  }

  /**
   * {@code null} (nothing written yet) is Pending, and so is a phase Sluice never writes (someone
   * edited status by hand): the run is then assessed again from its measurements instead of failing.
   */
  public static AnalysisPhase parse(String text) {
    for (AnalysisPhase phase : values()) {
      if (phase.name().equals(text)) {
        return phase;
      }
    }
    return Pending;
  }

  /** How bad a completed phase is for the run as a whole: Failed is worst (Argo's order). */
  public int severity() {
    return switch (this) {
      case Failed -> 5;
      case Error -> 4;
      case Inconclusive -> 3;
      case Successful -> 2;
      case Running -> 1;
      case Pending -> 0;
    };
  }
}
