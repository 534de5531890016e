package dev.sluice.controller.metrics;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Everything the controller exposes on {@code /metrics}, in one Prometheus registry: JOSDK's
 * reconcile metrics ({@code operator_sdk_*}), the rollout and analysis gauges ({@code sluice_rollout_*},
 * {@code sluice_analysis_*}, see {@link SluiceGauge}), Kubernetes API requests
 * ({@code sluice_kubernetes_api_requests_total}), their waits for the client's rate limit
 * ({@code sluice_kubernetes_api_rate_limit_wait_seconds}) and the JVM's ({@code jvm_*}, {@code process_*}).
 *
 * <p>Wiring: {@link #instrument} on the client's HTTP builder, {@link #operatorMetrics()} to the
 * JOSDK operator, {@link #watch} once the operator runs, and {@link #scrape} for each request.
 */
public final class ControllerMetrics implements AutoCloseable {
  /** Text format 0.0.4, which every Prometheus reads. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Metrics operatorMetrics;
  private final ApiRequestCounter apiRequests;
  private final SampledGauges gauges;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private volatile ResourceGauges resources;
  private final Timer rateLimitWaits;
  private final Timer pauseOverruns;

  public ControllerMetrics() {
    // JOSDK tags each reconcile with its retry number: one new series per attempt of a failing resource
    registry.config().meterFilter(MeterFilter.ignoreTags("reconciliations.retries.number"));
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    operatorMetrics = MicrometerMetrics.withoutPerResourceMetrics(registry);
    apiRequests = new ApiRequestCounter(registry);
    gauges = new SampledGauges();
    rateLimitWaits = Timer.builder("sluice.kubernetes.api.rate.limit.wait")
        .description("how long requests to the Kubernetes API server waited for the client's rate limit (only those that waited)")
        .register(registry);
    pauseOverruns = Timer.builder("sluice.pause.overrun")
        .description("how late timed pauses ended: from the pause's time to the write of the status that leaves it")
        .serviceLevelObjectives(Stream.of(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
            .map(s -> Duration.ofMillis(Math.round(s * 1000))).toArray(Duration[]::new))
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** For {@code ConfigurationServiceOverrider.withMetrics}: reconcile counts, errors and durations per controller. */
  public Metrics operatorMetrics() {
    return operatorMetrics;
  }

  /** For {@code KubernetesClientBuilder.withHttpClientBuilderConsumer}: counts API requests. */
  public void instrument(HttpClient.Builder httpClient) {
    httpClient.addOrReplaceInterceptor(ApiRequestCounter.INTERCEPTOR_NAME, apiRequests);
  }

  /**
   * A request held back by the client's rate limit ({@code --kube-api-qps}) for {@code wait}:
   * {@code sluice_kubernetes_api_rate_limit_wait_seconds} (count, sum, max), what the limit costs in
   * a wave of rollouts.
   */
  public void rateLimitWait(Duration wait) {
    rateLimitWaits.record(wait);
  }

  /**
   * A timed pause (a canary pause step with a duration, blue-green's autoPromotionSeconds) ended
   * {@code late} after its time, counted when the status that leaves it is written:
   * {@code sluice_pause_overrun_seconds}, a histogram (how precisely pauses end).
   */
  public void pauseEnded(Duration late) {
    pauseOverruns.record(late);
  }

  /** Where the rollout and analysis gauges come from from now on (read at each scrape). */
  public void watch(Supplier<Stream<Rollout>> rollouts, Supplier<Stream<AnalysisRun>> runs) {
    resources = new ResourceGauges(gauges, rollouts, runs);
  }

  /**
   * The Prometheus text of all metrics, with the rollout and analysis gauges read just now: the
   * registry's meters written now, then the gauges' text as written when they last changed (1.2 MB at
   * 1,000 rollouts, not copied).
   */
  public synchronized MetricsPage scrape() {
    ResourceGauges current = resources;
    if (current != null) current.refresh();
    var meters = new ByteArrayOutputStream(16384);
    try {
      registry.scrape(meters, CONTENT_TYPE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: written to memory", e);
    }
    return new MetricsPage(meters.toByteArray(), gauges.text());
  }

  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }
}
