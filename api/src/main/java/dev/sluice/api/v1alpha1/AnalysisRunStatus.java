package dev.sluice.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnalysisRunStatus(
    String phase,
    String message,
    String startedAt,
    List<MetricResult> metricResults,
    RunSummary runSummary,
    RunSummary dryRunSummary) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MetricResult(
      String name,
      String phase,
      List<Measurement> measurements,
      String message,
      Integer count,
      Integer successful,
      Integer failed,
      Integer inconclusive,
      Integer error,
      Integer consecutiveError,
      Integer consecutiveSuccess,
      Boolean dryRun) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Measurement(
      String phase, String value, String startedAt, String finishedAt, String message, String resumeAt) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RunSummary(Integer count, Integer successful, Integer failed, Integer inconclusive, Integer error) {}
}
