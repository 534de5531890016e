package dev.sluice.analysis.provider;

import dev.sluice.analysis.args.SecretLookup;
import dev.sluice.api.v1alpha1.Metric;

/**
 * What a provider needs for one measurement.
 *
 * @param metric with arguments already substituted
 * @param number the measurement's 1-based number within its metric (see {@link dev.sluice.analysis.run.DueMeasurement})
 * @param secrets for credentials the provider reads itself (e.g. Prometheus authentication)
 */
public record MeasurementContext(RunReference run, Metric metric, int number, SecretLookup secrets) {}
