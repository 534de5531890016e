package dev.sluice.analysis;

import dev.sluice.analysis.args.RecordingSecretLookup;
import dev.sluice.analysis.args.Redactor;
import dev.sluice.analysis.args.SecretLookup;
import dev.sluice.analysis.args.SecretUnavailableException;
import dev.sluice.analysis.condition.ConditionOutcome;
import dev.sluice.analysis.provider.MeasurementContext;
import dev.sluice.analysis.provider.MeasurementProvider;
import dev.sluice.analysis.provider.MeasurementProviders;
import dev.sluice.analysis.provider.ProviderResult;
import dev.sluice.analysis.provider.RunReference;
import dev.sluice.analysis.run.DueMeasurement;
import dev.sluice.api.Timestamps;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.Measurement;
import java.time.Clock;
import java.time.Instant;

/**
 * Takes one due measurement: asks the metric's provider, lets the metric's conditions judge the
 * value, and returns the measurement as status will show it, with every secret value masked
 * (the run's secret arguments and any credential the provider read). Never throws for a provider
 * failure: that is an Error measurement with the reason in its message. A Secret that cannot be
 * read for now ({@link SecretUnavailableException}) is thrown, so the measurement is tried again
 * instead of counting as an error.
 */
public final class MeasurementTaker {
  /** The most of a measured value status keeps. */
  public static final int MAX_VALUE_CHARS = 2048;
  /** The most of a measurement's message status keeps. */
  public static final int MAX_MESSAGE_CHARS = 2048;
  /** The most of a value a condition's message quotes. */
  private static final int MESSAGE_VALUE_CHARS = 200;

  private final MeasurementProviders providers;
  private final Clock clock;

  public MeasurementTaker(MeasurementProviders providers, Clock clock) {
    this.providers = providers;
    this.clock = clock;
  }

  /** @param runStartedAt when the run started (see {@link dev.sluice.analysis.run.AnalysisRunPlanner#startedAt}) */
  public Measurement take(DueMeasurement due, Instant runStartedAt, PreparedRun run, RunReference ref, SecretLookup secrets) {
    PreparedMetric metric = run.metric(due.metric());
    Instant startedAt = due.resumes() && due.inFlight().startedAt() != null
        ? Timestamps.parse(due.inFlight().startedAt()) : clock.instant();
    RecordingSecretLookup recording = new RecordingSecretLookup(secrets);
    MeasurementContext context = new MeasurementContext(ref, metric.metric(), due.number(), recording,
        new MeasurementContext.Schedule(runStartedAt, clock.instant(), due.last()));
    MeasurementProvider provider = providers.forMetric(metric.metric());
    ProviderResult result;
    try {
      result = due.resumes() ? provider.resume(context) : provider.measure(context);
    } catch (SecretUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      result = new ProviderResult.Failure("the provider failed: " + e);
    }
    Redactor redactor = run.redactor().with(recording.values());
    return bounded(redact(toMeasurement(redactShown(result, redactor), metric, startedAt, clock.instant()), redactor));
  }

  /** Stops an in-flight measurement the run no longer needs (e.g. deletes its Job); failures are returned, not thrown. */
  public String terminate(DueMeasurement due, PreparedRun run, RunReference ref, SecretLookup secrets) {
    PreparedMetric metric = run.metric(due.metric());
    try {
      providers.forMetric(metric.metric()).terminate(new MeasurementContext(ref, metric.metric(), due.number(), secrets));
      return null;
    } catch (RuntimeException e) {
      return run.redactor().redact("could not stop the measurement of metric \"" + due.metric() + "\": " + e.getMessage());
    }
  }

  private static Measurement toMeasurement(ProviderResult result, PreparedMetric metric, Instant startedAt, Instant now) {
    String started = Timestamps.format(startedAt);
    String finished = Timestamps.format(now);
    if (result instanceof ProviderResult.Observed) {
      ProviderResult.Observed observed = (ProviderResult.Observed) result;
      ConditionOutcome outcome = metric.conditions().assess(observed.result(), abbreviate(observed.shown(), MESSAGE_VALUE_CHARS));
      return new Measurement(outcome.phase().name(), observed.shown(), started, finished,
          join(observed.note(), outcome.message()), null);
    }
    if (result instanceof ProviderResult.Concluded) {
      ProviderResult.Concluded concluded = (ProviderResult.Concluded) result;
      return new Measurement(concluded.phase().name(), concluded.shown(), started, finished, concluded.message(), null);
    }
    if (result instanceof ProviderResult.InProgress) {
      ProviderResult.InProgress running = (ProviderResult.InProgress) result;
      return new Measurement(AnalysisPhase.Running.name(), null, started, null, running.message(),
          running.resumeAt() == null ? null : Timestamps.format(running.resumeAt()));
    }
    ProviderResult.Failure failure = (ProviderResult.Failure) result;
    return new Measurement(AnalysisPhase.Error.name(), null, started, finished, failure.message(), null);
  }

  private static String join(String note, String message) {
    if (note == null) {
      return message;
    }
    return message == null ? note : note + "; " + message;
  }

  /** Masks secrets in the value before it is quoted or cut anywhere, so no cut can leave part of a secret. */
  private static ProviderResult redactShown(ProviderResult result, Redactor redactor) {
    if (result instanceof ProviderResult.Observed observed) {
      return new ProviderResult.Observed(redactor.redact(observed.shown()), observed.result(), observed.note());
    }
    return result;
  }

  /**
   * Keeps a measurement small in status whatever the provider answered (the conditions have judged
   * the whole value already): a run with many metrics and retained measurements stays far below
   * etcd's object size limit.
   */
  static Measurement bounded(Measurement m) {
    String value = m.value();
    String message = m.message();
    if (value != null && value.length() > MAX_VALUE_CHARS) {
      message = join("the value is " + value.length() + " characters long; status keeps the first " + MAX_VALUE_CHARS, message);
      value = value.substring(0, MAX_VALUE_CHARS) + "...";
    }
    return new Measurement(m.phase(), value, m.startedAt(), m.finishedAt(), abbreviate(message, MAX_MESSAGE_CHARS), m.resumeAt());
  }

  private static String abbreviate(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max) + "...";
  }

  private static Measurement redact(Measurement m, Redactor redactor) {
    return new Measurement(m.phase(), redactor.redact(m.value()), m.startedAt(), m.finishedAt(),
        redactor.redact(m.message()), m.resumeAt());
  }
}
