package dev.sluice.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** The templates' metrics with arguments resolved. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnalysisRunSpec(
    @Required List<Metric> metrics,
    List<AnalysisArgument> args,
    @JsonPropertyDescription("Set to stop the run: it ends with the phase its measurements so far give") Boolean terminate,
    List<RolloutAnalysis.DryRun> dryRun,
    List<RolloutAnalysis.MeasurementRetention> measurementRetention) {}
