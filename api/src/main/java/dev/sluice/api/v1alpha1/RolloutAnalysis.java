package dev.sluice.api.v1alpha1;

import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Max;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * An analysis a rollout runs: as a step ({@code steps[].analysis}) or in the background
 * ({@code strategy.canary.analysis}, from {@code startingStep} until promotion).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutAnalysis(
    List<TemplateRef> templates,
    List<AnalysisArgument> args,
    List<DryRun> dryRun,
    List<MeasurementRetention> measurementRetention,
    AnalysisRunMetadata analysisRunMetadata,
    @JsonPropertyDescription("Background analysis only: the step index at which it starts") @Min(0) @Max(Bounds.STEPS) Integer startingStep) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TemplateRef(String templateName, Boolean clusterScope) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AnalysisRunMetadata(Map<String, String> labels, Map<String, String> annotations) {}

  public record DryRun(String metricName) {}

  public record MeasurementRetention(String metricName, @Min(1) @Max(Bounds.MEASUREMENTS) Integer limit) {}
}
