package dev.sluice.analysis.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.analysis.judge.Direction;
import dev.sluice.analysis.judge.Judge;
import dev.sluice.analysis.judge.JudgeSettings;
import dev.sluice.analysis.judge.Judgement;
import dev.sluice.analysis.judge.Series;
import dev.sluice.api.Durations;
import dev.sluice.api.v1alpha1.MetricProvider;
import dev.sluice.api.validation.JudgeRules;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.OkHttpClient;

/**
 * The {@code judge} provider: two range queries ({@code /api/v1/query_range} from the run's start
 * to the measurement's moment, at {@code sampleStep}) give the canary's and the baseline's series,
 * and the metric's {@link Judge} compares them. The value is a map for conditions,
 * {@code {verdict, canary{n, mean}, baseline{n, mean}, effect, pValue|evidence}}, numbers rounded to
 * six significant digits, a missing one (no samples, a zero baseline) null; the judgement's reason
 * is the measurement's message.
 *
 * <p>Nothing is kept between measurements: each one asks Prometheus for every sample since the run
 * started, so a controller restart, or a replay of the same interval, gives the same verdicts.
 */
public final class JudgeProvider implements MeasurementProvider {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MathContext SHOWN = new MathContext(6);

  private final OkHttpClient http;
  private final ProviderAddressPolicy addresses;

  /** @param addresses the only addresses the metric's {@code prometheus.address} may lead to */
  public JudgeProvider(OkHttpClient http, ProviderAddressPolicy addresses) {
    this.http = http;
    this.addresses = addresses;
  }

  @Override
  public ProviderResult measure(MeasurementContext context) {
    MetricProvider.Judge spec = context.metric().provider().judge();
    MeasurementContext.Schedule schedule = context.schedule();
    if (schedule == null || schedule.runStartedAt() == null) {
      return new ProviderResult.Failure("the judge compares samples since the run started, and this measurement has no run");
    }
    Judge judge;
    JudgeSettings settings;
    Duration step;
    try {
      judge = Judge.forMethod(spec.method());
      settings = JudgeSettings.of(Direction.parse(spec.direction()),
          spec.tolerance() == null ? 0 : spec.tolerance(), spec.alpha() == null ? JudgeRules.DEFAULT_ALPHA : spec.alpha());
      step = spec.sampleStep() == null ? JudgeRules.DEFAULT_SAMPLE_STEP : Durations.parse(spec.sampleStep());
    } catch (IllegalArgumentException e) {
      return new ProviderResult.Failure("judge: " + e.getMessage());
    }
    Series canary;
    Series baseline;
    try {
      canary = range(spec, "canaryQuery", spec.canaryQuery(), schedule, step, context);
      baseline = range(spec, "baselineQuery", spec.baselineQuery(), schedule, step, context);
    } catch (PrometheusProvider.Unanswered e) {
      return new ProviderResult.Failure(e.getMessage());
    }
    Judgement judgement = judge.judge(canary, baseline, settings, schedule.last());
    Map<String, Object> value = value(judgement);
    return new ProviderResult.Observed(shown(value), value, judgement.reason());
  }

  private Series range(MetricProvider.Judge spec, String role, String query, MeasurementContext.Schedule schedule,
      Duration step, MeasurementContext context) throws PrometheusProvider.Unanswered {
    // whole seconds from the run's start, so replaying the same start meets the same step grid
    Instant start = schedule.runStartedAt().plusMillis(999).truncatedTo(ChronoUnit.SECONDS);
    Instant end = schedule.at();
    if (end.isBefore(start)) {
      return new Series(new long[0], new double[0]);
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("query", query);
    parameters.put("start", PrometheusProvider.seconds(start.toEpochMilli()));
    parameters.put("end", PrometheusProvider.seconds(end.toEpochMilli()));
    parameters.put("step", PrometheusProvider.seconds(step.toMillis()));
    PrometheusProvider.Reply reply = PrometheusProvider.get(http, addresses, PrometheusProvider.Connection.of(spec.prometheus()),
        "api/v1/query_range", parameters, context.secrets());
    return PrometheusRange.read(reply, role);
  }

  /** The measurement's value as conditions see it. */
  static Map<String, Object> value(Judgement j) {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("verdict", j.verdict().shown());
    value.put("canary", side(j.canaryN(), j.canaryMean()));
    value.put("baseline", side(j.baselineN(), j.baselineMean()));
    value.put("effect", rounded(j.effect()));
    if (!Double.isNaN(j.pValue())) {
      value.put("pValue", rounded(j.pValue()));
    }
    if (!Double.isNaN(j.evidence())) {
      value.put("evidence", rounded(j.evidence()));
    }
    return value;
  }

  private static Map<String, Object> side(int n, double mean) {
    Map<String, Object> side = new LinkedHashMap<>();
    side.put("n", n);
    side.put("mean", rounded(mean));
    return side;
  }

  /** Six significant digits; null for NaN; the largest double for overwhelming evidence. */
  private static Double rounded(double x) {
    if (Double.isNaN(x)) {
      return null;
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? Double.MAX_VALUE : -Double.MAX_VALUE;
    }
    return new BigDecimal(x).round(SHOWN).doubleValue();
  }

  private static String shown(Map<String, Object> value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a judgement's value is plain JSON", e);
    }
  }
}
