package dev.sluice.analysis;

/** Labels and annotations Sluice puts on the objects an analysis creates. */
public final class AnalysisLabels {
  /** On Jobs of job metrics: the (label-safe) name of the AnalysisRun; the controller watches Jobs with it. */
  public static final String ANALYSIS_RUN = "sluice.dev/analysis-run";
  /** Annotation on those Jobs: the metric's name as written. */
  public static final String METRIC = "sluice.dev/metric";
  /** Annotation on those Jobs: the measurement's number within its metric. */
  public static final String MEASUREMENT = "sluice.dev/measurement";

  private AnalysisLabels() {}
}
