package dev.sluice.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.IntOrString;

/** One metric of an analysis: how to measure, how often, and what counts as success or failure. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Metric(
    @Required String name,
    @JsonPropertyDescription("Time between measurements, e.g. 30s; unset = one measurement") String interval,
    @JsonPropertyDescription("Wait before the first measurement, e.g. 1m") String initialDelay,
    @JsonPropertyDescription("Number of measurements; 0 with an interval = until the run is terminated") IntOrString count,
    @JsonPropertyDescription("CEL over `result`, e.g. result[0] >= 0.95") String successCondition,
    @JsonPropertyDescription("CEL over `result`, e.g. result[0] > 0.05") String failureCondition,
    @JsonPropertyDescription("Failed measurements tolerated (-1 = unlimited); default 0") IntOrString failureLimit,
    @JsonPropertyDescription("Inconclusive measurements tolerated; default 0") IntOrString inconclusiveLimit,
    @JsonPropertyDescription("Consecutive provider errors before the metric is Error; default 4") IntOrString consecutiveErrorLimit,
    @JsonPropertyDescription("Consecutive successes that end the metric early") IntOrString consecutiveSuccessLimit,
    @Required MetricProvider provider) {}
