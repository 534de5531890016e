package dev.sluice.analysis.replay;

import dev.sluice.analysis.AnalysisPhase;
import dev.sluice.analysis.AnalysisRunPreparer;
import dev.sluice.analysis.AnalysisSpecException;
import dev.sluice.analysis.MeasurementTaker;
import dev.sluice.analysis.PreparedRun;
import dev.sluice.analysis.args.ArgumentContext;
import dev.sluice.analysis.args.SecretLookup;
import dev.sluice.analysis.args.SecretLookupException;
import dev.sluice.analysis.condition.ConditionEvaluator;
import dev.sluice.analysis.provider.JudgeProvider;
import dev.sluice.analysis.provider.MeasurementProviders;
import dev.sluice.analysis.provider.PrometheusProvider;
import dev.sluice.analysis.provider.ProviderAddressPolicy;
import dev.sluice.analysis.provider.ProviderResult;
import dev.sluice.analysis.provider.RunReference;
import dev.sluice.analysis.run.AnalysisRunPlanner;
import dev.sluice.analysis.run.DueMeasurement;
import dev.sluice.analysis.run.RunAssessment;
import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.AnalysisRunSpec;
import dev.sluice.api.v1alpha1.AnalysisRunStatus;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.Measurement;
import dev.sluice.api.v1alpha1.AnalysisTemplateSpec;
import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * Runs an analysis against the past: as if an AnalysisRun had started at {@code from}, every
 * measurement is taken at the moment the controller would have taken it (Prometheus answers for
 * that moment), judged by the same conditions and decided by the same {@link AnalysisRunPlanner},
 * until the run completes or {@code to} is reached. Nothing is written anywhere.
 *
 * <p>Only metrics whose past Prometheus keeps can be replayed: prometheus and judge. Secrets are not
 * read: an argument from a Secret needs its value given.
 */
public final class AnalysisReplay {
  private static final RunReference REPLAY = new RunReference(null, "replay", null, "sluice.dev/v1alpha1", "AnalysisRun");
  private static final SecretLookup NO_SECRETS = (name, key) -> {
    throw new SecretLookupException("replay reads no Secrets (Secret \"" + name + "\" key \"" + key + "\"): give the value as an argument");
  };

  /** One measurement as the run would have taken it. */
  public record Step(String metric, int number, Instant at, Measurement measurement) {}

  /** @param status the run's status at the end: its phase and message are the verdict (Running if {@code to} came first) */
  public record Result(List<Step> steps, AnalysisRunStatus status) {}

  private final MeasurementProviders providers;
  private final AnalysisRunPlanner planner = new AnalysisRunPlanner();

  /** @param addresses the only addresses Prometheus may be reached at */
  public AnalysisReplay(OkHttpClient http, ProviderAddressPolicy addresses) {
    ProviderResult.Failure noPast = new ProviderResult.Failure("replay measures only prometheus and judge metrics");
    this.providers = new MeasurementProviders(new PrometheusProvider(http, addresses), c -> noPast, c -> noPast,
        new JudgeProvider(http, addresses));
  }

  /**
   * The template's metrics with its arguments, {@code values} overriding them (and standing in for
   * any valueFrom), every Prometheus address replaced by {@code prometheus} when given.
   *
   * @throws AnalysisSpecException naming what is wrong: a web or job metric, an argument without a value ...
   */
  public static PreparedRun prepare(AnalysisTemplateSpec template, Map<String, String> values, String prometheus) {
    if (template == null || template.metrics() == null || template.metrics().isEmpty()) {
      throw new AnalysisSpecException("the template has no metrics");
    }
    List<Metric> metrics = new ArrayList<>();
    for (Metric m : template.metrics()) {
      MetricProvider p = m.provider();
      if (p == null || (p.prometheus() == null && p.judge() == null)) {
        throw new AnalysisSpecException("metric \"" + m.name() + "\": replay works for prometheus and judge metrics only");
      }
      metrics.add(prometheus == null ? m : withAddress(m, prometheus));
    }
    Map<String, AnalysisArgument> args = new LinkedHashMap<>();
    if (template.args() != null) {
      template.args().forEach(a -> args.put(a.name(), a));
    }
    values.forEach((name, value) -> {
      if (!args.containsKey(name)) {
        throw new AnalysisSpecException("the template has no argument \"" + name + "\" (it has " + String.join(", ", args.keySet()) + ")");
      }
      args.put(name, new AnalysisArgument(name, value, null));
    });
    AnalysisRunSpec spec = new AnalysisRunSpec(metrics, List.copyOf(args.values()), null, template.dryRun(), template.measurementRetention());
    return new AnalysisRunPreparer(new ConditionEvaluator()).prepare(spec, ArgumentContext.none(), NO_SECRETS);
  }

  public Result replay(PreparedRun run, Instant from, Instant to) {
    List<Step> steps = new ArrayList<>();
    AnalysisRunStatus status = null;
    Instant now = from;
    while (true) {
      List<DueMeasurement> due = planner.due(run.settings(), false, status, now);
      MeasurementTaker taker = new MeasurementTaker(providers, Clock.fixed(now, ZoneOffset.UTC));
      Map<String, Measurement> taken = new LinkedHashMap<>();
      for (DueMeasurement d : due) {
        Measurement m = taker.take(d, from, run, REPLAY, NO_SECRETS);
        taken.put(d.metric(), m);
        steps.add(new Step(d.metric(), d.number(), now, m));
      }
      RunAssessment assessment = planner.assess(run.settings(), false, status, taken, now);
      status = assessment.status();
      Optional<Instant> next = assessment.nextLook();
      if (AnalysisPhase.parse(status.phase()).completed() || next.isEmpty() || next.get().isAfter(to)) {
        return new Result(List.copyOf(steps), status);
      }
      now = next.get().isAfter(now) ? next.get() : now;
    }
  }

  private static Metric withAddress(Metric m, String address) {
    MetricProvider p = m.provider();
    MetricProvider moved;
    if (p.prometheus() != null) {
      var q = p.prometheus();
      moved = new MetricProvider(new MetricProvider.Prometheus(address, q.query(), q.timeout(), q.insecure(), q.headers(), q.authentication()), null, null);
    } else {
      var j = p.judge();
      var c = j.prometheus();
      var connection = c == null ? new MetricProvider.JudgePrometheus(address, null, null, null)
          : new MetricProvider.JudgePrometheus(address, c.timeout(), c.headers(), c.authentication());
      moved = new MetricProvider(null, null, null, new MetricProvider.Judge(connection, j.canaryQuery(), j.baselineQuery(),
          j.direction(), j.tolerance(), j.method(), j.alpha(), j.sampleStep()));
    }
    return new Metric(m.name(), m.interval(), m.initialDelay(), m.count(), m.successCondition(), m.failureCondition(),
        m.failureLimit(), m.inconclusiveLimit(), m.consecutiveErrorLimit(), m.consecutiveSuccessLimit(), moved);
  }
}
