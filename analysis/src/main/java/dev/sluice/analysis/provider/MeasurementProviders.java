package dev.sluice.analysis.provider;

import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import okhttp3.OkHttpClient;

/** Picks the provider a metric names. */
public final class MeasurementProviders {
  private final MeasurementProvider prometheus;
  private final MeasurementProvider web;
  private final MeasurementProvider job;
  private final MeasurementProvider judge;

  public MeasurementProviders(MeasurementProvider prometheus, MeasurementProvider web, MeasurementProvider job,
      MeasurementProvider judge) {
    this.prometheus = prometheus;
    this.web = web;
    this.job = job;
    this.judge = judge;
  }

  /** The standard set: HTTP providers on a shared OkHttp client, reaching only what {@code addresses} allow, Jobs through {@code jobs}. */
  public static MeasurementProviders standard(OkHttpClient http, ProviderAddressPolicy addresses, JobStore jobs) {
    return new MeasurementProviders(new PrometheusProvider(http, addresses), new WebProvider(http, addresses), new JobProvider(jobs),
        new JudgeProvider(http, addresses));
  }

  /**
   * Whether the metric's provider waits on a remote server (Prometheus, web, judge): those
   * measurements are taken off the reconcile threads. A job metric only reads and writes Jobs
   * through the API server.
   */
  public static boolean waitsOnARemoteServer(Metric metric) {
    MetricProvider p = metric.provider();
    return p != null && (p.prometheus() != null || p.web() != null || p.judge() != null);
  }

  /** @throws IllegalArgumentException when the metric names no provider (the preparer rejects those first) */
  public MeasurementProvider forMetric(Metric metric) {
    MetricProvider p = metric.provider();
    if (p != null && p.prometheus() != null) {
      return prometheus;
    }
    if (p != null && p.web() != null) {
      return web;
    }
    if (p != null && p.job() != null) {
      return job;
    }
    if (p != null && p.judge() != null) {
      return judge;
    }
    throw new IllegalArgumentException("metric \"" + metric.name() + "\" has no provider");
  }
}
