package dev.sluice.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** The spec of AnalysisTemplate and ClusterAnalysisTemplate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnalysisTemplateSpec(
    @Required List<Metric> metrics,
    List<AnalysisArgument> args,
    List<RolloutAnalysis.DryRun> dryRun,
    List<RolloutAnalysis.MeasurementRetention> measurementRetention) {}
