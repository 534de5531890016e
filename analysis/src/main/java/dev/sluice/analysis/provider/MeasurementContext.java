package dev.sluice.analysis.provider;

import dev.sluice.analysis.args.SecretLookup;
import dev.sluice.api.v1alpha1.Metric;
import java.time.Instant;

/**
 * What a provider needs for one measurement.
 *
 * @param metric with arguments already substituted
 * @param number the measurement's 1-based number within its metric (see {@link dev.sluice.analysis.run.DueMeasurement})
 * @param secrets for credentials the provider reads itself (e.g. Prometheus authentication)
 * @param schedule where the measurement falls in its run; null outside a run's schedule
 */
public record MeasurementContext(RunReference run, Metric metric, int number, SecretLookup secrets, Schedule schedule) {

  /** A measurement without a schedule (providers that look only at the present). */
  public MeasurementContext(RunReference run, Metric metric, int number, SecretLookup secrets) {
    this(run, metric, number, secrets, null);
  }

  /**
   * @param runStartedAt when the run started (the judge's samples begin there)
   * @param at the moment the measurement is for: now, or a past moment when a run is replayed
   * @param last whether this is the metric's last measurement (its count reached with it)
   */
  public record Schedule(Instant runStartedAt, Instant at, boolean last) {}
}
