package dev.sluice.analysis;

import dev.sluice.analysis.condition.MetricConditions;
import dev.sluice.analysis.run.MetricSettings;
import dev.sluice.api.v1alpha1.Metric;

/** A metric ready to measure: arguments substituted, settings parsed, conditions compiled. */
public record PreparedMetric(Metric metric, MetricSettings settings, MetricConditions conditions) {}
