package dev.sluice.analysis.run;

import dev.sluice.api.Timestamps;
import dev.sluice.analysis.AnalysisPhase;
import dev.sluice.api.v1alpha1.AnalysisRunStatus;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.Measurement;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.MetricResult;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The AnalysisRun state machine, a pure function of the run's metrics, its status and {@code now}:
 * {@link #due} says which measurements to take, {@link #assess} folds the measurements taken into
 * the status and decides each metric's and the run's phase and when to look again. No clock, no
 * I/O: everything it needs is in the status, so a restarted controller continues exactly.
 *
 * <p>Semantics are Argo Rollouts': errors do not count towards {@code count}; a metric is Failed
 * when failed &gt; failureLimit, Inconclusive when inconclusive &gt; inconclusiveLimit, Error when
 * consecutive errors &gt; consecutiveErrorLimit, Successful when its count is reached; a run ends
 * with the worst phase of its non-dry-run metrics (Failed, Error, Inconclusive, Successful), and
 * stops measuring as soon as one of them is Failed, Error or Inconclusive, or when terminated.
 */
public final class AnalysisRunPlanner {

  /** Measurements to take at {@code now}. None once the run is complete or terminating. */
  public List<DueMeasurement> due(List<MetricSettings> metrics, boolean terminate, AnalysisRunStatus status, Instant now) {
    if (status != null && AnalysisPhase.parse(status.phase()).completed()) {
      return List.of();
    }
    Map<String, MetricTally> tallies = tallies(metrics, status);
    if (terminate || anyStopping(metrics, tallies)) {
      return List.of();
    }
    Instant startedAt = startedAt(status, now);
    List<DueMeasurement> due = new ArrayList<>();
    for (MetricSettings metric : metrics) {
      MetricTally tally = tallies.get(metric.name());
      if (tally.phase.completed()) {
        continue;
      }
      Measurement inFlight = tally.inFlight();
      int number = tally.finishedAttempts() + 1;
      if (inFlight != null) {
        Instant resumeAt = Timestamps.tryParse(inFlight.resumeAt()).orElse(null);
        if (resumeAt == null || !resumeAt.isAfter(now)) {
          due.add(new DueMeasurement(metric.name(), number, inFlight, tally.isLast(metric)));
        }
        continue;
      }
      Optional<Instant> next = nextMeasurementAt(metric, tally, startedAt);
      if (next.isPresent() && !next.get().isAfter(now)) {
        due.add(new DueMeasurement(metric.name(), number, null, tally.isLast(metric)));
      }
    }
    return due;
  }

  /**
   * @param taken the measurements of {@link #due}, finished or still in flight, by metric name
   */
  public RunAssessment assess(List<MetricSettings> metrics, boolean terminate, AnalysisRunStatus status,
      Map<String, Measurement> taken, Instant now) {
    return assess(metrics, terminate, status, taken, Set.of(), now);
  }

  /**
   * @param taking metrics whose due measurement is being taken elsewhere: the run is woken when it
   *     ends, so they set no time to look again
   */
  public RunAssessment assess(List<MetricSettings> metrics, boolean terminate, AnalysisRunStatus status,
      Map<String, Measurement> taken, Set<String> taking, Instant now) {
    AnalysisPhase before = status == null ? AnalysisPhase.Pending : AnalysisPhase.parse(status.phase());
    if (before.completed()) {
      return new RunAssessment(status, List.of(), List.of(), Optional.empty());
    }
    Instant startedAt = startedAt(status, now);
    Map<String, MetricTally> tallies = tallies(metrics, status);
    Map<String, AnalysisPhase> phasesBefore = new HashMap<>();
    tallies.forEach((name, t) -> phasesBefore.put(name, t.phase));

    for (MetricSettings metric : metrics) {
      Measurement m = taken.get(metric.name());
      if (m != null) {
        tallies.get(metric.name()).record(m);
      }
    }
    for (MetricSettings metric : metrics) {
      assessMetric(metric, tallies.get(metric.name()), terminate);
    }
    List<DueMeasurement> terminated = new ArrayList<>();
    boolean stopping = terminate || anyStopping(metrics, tallies);
    if (stopping) {
      for (MetricSettings metric : metrics) {
        MetricTally tally = tallies.get(metric.name());
        Measurement inFlight = tally.inFlight();
        if (inFlight != null) {
          terminated.add(new DueMeasurement(metric.name(), tally.finishedAttempts() + 1, inFlight, false));
          tally.record(new Measurement(AnalysisPhase.Successful.name(), inFlight.value(), inFlight.startedAt(),
              Timestamps.format(now), "metric terminated", null));
        }
        assessMetric(metric, tally, true);
      }
    }
    for (MetricSettings metric : metrics) {
      tallies.get(metric.name()).keepLast(metric.retention());
    }

    RunVerdict verdict = runVerdict(metrics, tallies);
    List<MetricResult> results = metrics.stream().map(m -> tallies.get(m.name()).toResult()).toList();
    AnalysisRunStatus next = new AnalysisRunStatus(verdict.phase().name(), verdict.message(), Timestamps.format(startedAt),
        results, summary(metrics, tallies, false), summary(metrics, tallies, true));

    List<RunEvent> events = new ArrayList<>();
    for (MetricSettings metric : metrics) {
      MetricTally tally = tallies.get(metric.name());
      if (tally.phase.completed() && tally.phase != phasesBefore.get(metric.name())) {
        events.add(metricEvent(tally));
      }
    }
    if (verdict.phase() != before) {
      events.add(runEvent(verdict));
    }
    Optional<Instant> nextLook = verdict.phase().completed() ? Optional.empty() : nextLook(metrics, tallies, taking, startedAt);
    return new RunAssessment(next, terminated, events, nextLook);
  }

  /** The run cannot be used as written (see {@link dev.sluice.analysis.AnalysisSpecException}): it ends in Error. */
  public RunAssessment invalid(AnalysisRunStatus status, String problem, Instant now) {
    AnalysisPhase before = status == null ? AnalysisPhase.Pending : AnalysisPhase.parse(status.phase());
    if (before.completed()) {
      return new RunAssessment(status, List.of(), List.of(), Optional.empty());
    }
    String message = "analysis spec invalid: " + problem;
    AnalysisRunStatus next = new AnalysisRunStatus(AnalysisPhase.Error.name(), message, Timestamps.format(startedAt(status, now)),
        status == null ? null : status.metricResults(), status == null ? null : status.runSummary(),
        status == null ? null : status.dryRunSummary());
    return new RunAssessment(next, List.of(),
        List.of(new RunEvent(RunEvent.Type.Warning, "AnalysisRunError", message)), Optional.empty());
  }

  private static Map<String, MetricTally> tallies(List<MetricSettings> metrics, AnalysisRunStatus status) {
    Map<String, MetricResult> byName = new HashMap<>();
    if (status != null && status.metricResults() != null) {
      status.metricResults().forEach(r -> byName.put(r.name(), r));
    }
    Map<String, MetricTally> tallies = new HashMap<>();
    for (MetricSettings metric : metrics) {
      tallies.put(metric.name(), new MetricTally(metric.name(), byName.get(metric.name()), metric.dryRun()));
    }
    return tallies;
  }

  /** A non-dry-run metric that is Failed, Error or Inconclusive stops the whole run. */
  private static boolean anyStopping(List<MetricSettings> metrics, Map<String, MetricTally> tallies) {
    return metrics.stream().anyMatch(m -> !m.dryRun() && stops(tallies.get(m.name()).phase));
  }

  private static boolean stops(AnalysisPhase phase) {
    return phase == AnalysisPhase.Failed || phase == AnalysisPhase.Error || phase == AnalysisPhase.Inconclusive;
  }

  /** When the run started: as its status says, or now for a run not started yet. */
  public static Instant startedAt(AnalysisRunStatus status, Instant now) {
    return status != null && status.startedAt() != null ? Timestamps.parse(status.startedAt()) : now;
  }

  /** When this metric's next new measurement is due; empty when it needs no more. */
  private static Optional<Instant> nextMeasurementAt(MetricSettings metric, MetricTally tally, Instant startedAt) {
    Measurement last = tally.last();
    if (tally.finishedAttempts() == 0 || last == null) {
      return Optional.of(startedAt.plus(metric.initialDelay()));
    }
    if (metric.count() != null && tally.count >= metric.count()) {
      return Optional.empty();
    }
    Duration retry = metric.retryAfter(AnalysisPhase.Error.name().equals(last.phase()));
    if (retry == null || last.finishedAt() == null) {
      return Optional.empty();
    }
    return Optional.of(Timestamps.parse(last.finishedAt()).plus(retry));
  }

  private static Optional<Instant> nextLook(List<MetricSettings> metrics, Map<String, MetricTally> tallies, Set<String> taking,
      Instant startedAt) {
    Instant earliest = null;
    for (MetricSettings metric : metrics) {
      MetricTally tally = tallies.get(metric.name());
      if (tally.phase.completed() || taking.contains(metric.name())) {
        continue;
      }
      Measurement inFlight = tally.inFlight();
      Optional<Instant> at = inFlight != null
          ? Timestamps.tryParse(inFlight.resumeAt())
          : nextMeasurementAt(metric, tally, startedAt);
      if (at.isPresent() && (earliest == null || at.get().isBefore(earliest))) {
        earliest = at.get();
      }
    }
    return Optional.ofNullable(earliest);
  }

  /** Sets the metric's phase (once completed it stays) and the message that explains it. */
  private static void assessMetric(MetricSettings metric, MetricTally tally, boolean terminating) {
    if (tally.phase.completed()) {
      return;
    }
    Measurement last = tally.last();
    if (last == null) {
      tally.phase = terminating ? AnalysisPhase.Successful : AnalysisPhase.Pending;
      if (terminating) {
        tally.message = "run terminated before the first measurement";
      }
      return;
    }
    tally.message = last.message();
    if (!AnalysisPhase.parse(last.phase()).completed() || last.finishedAt() == null) {
      tally.phase = AnalysisPhase.Running;
      return;
    }
    if (metric.failureLimit() >= 0 && tally.failed > metric.failureLimit()) {
      conclude(tally, AnalysisPhase.Failed, "failed (%d) > failureLimit (%d)".formatted(tally.failed, metric.failureLimit()));
    } else if (tally.inconclusive > metric.inconclusiveLimit()) {
      conclude(tally, AnalysisPhase.Inconclusive,
          "inconclusive (%d) > inconclusiveLimit (%d)".formatted(tally.inconclusive, metric.inconclusiveLimit()));
    } else if (tally.consecutiveError > metric.consecutiveErrorLimit()) {
      conclude(tally, AnalysisPhase.Error,
          "consecutiveError (%d) > consecutiveErrorLimit (%d)".formatted(tally.consecutiveError, metric.consecutiveErrorLimit()));
    } else if (metric.consecutiveSuccessLimit() != null && tally.consecutiveSuccess >= metric.consecutiveSuccessLimit()) {
      conclude(tally, AnalysisPhase.Successful,
          "consecutiveSuccess (%d) reached consecutiveSuccessLimit (%d)".formatted(tally.consecutiveSuccess, metric.consecutiveSuccessLimit()));
    } else if (metric.count() != null && tally.count >= metric.count()) {
      if (metric.consecutiveSuccessLimit() != null) {
        // only consecutive successes could make it pass: with failures tolerated it is a judgement call
        conclude(tally, metric.failureLimit() < 0 ? AnalysisPhase.Failed : AnalysisPhase.Inconclusive,
            "count (%d) reached without %d consecutive successes".formatted(metric.count(), metric.consecutiveSuccessLimit()));
      } else {
        conclude(tally, AnalysisPhase.Successful, null);
      }
    } else if (terminating) {
      conclude(tally, AnalysisPhase.Successful, null);
    } else {
      tally.phase = AnalysisPhase.Running;
    }
  }

  private static void conclude(MetricTally tally, AnalysisPhase phase, String reason) {
    tally.phase = phase;
    if (phase == AnalysisPhase.Successful) {
      tally.message = reason;
      return;
    }
    Measurement cause = tally.lastIn(phase);
    String detail = cause == null ? null : cause.message();
    tally.message = detail == null || detail.isBlank() ? reason : reason + ": " + detail;
  }

  private record RunVerdict(AnalysisPhase phase, String message) {}

  private static RunVerdict runVerdict(List<MetricSettings> metrics, Map<String, MetricTally> tallies) {
    boolean allCompleted = true;
    MetricTally worst = null;
    MetricTally worstDryRun = null;
    for (MetricSettings metric : metrics) {
      MetricTally tally = tallies.get(metric.name());
      if (!tally.phase.completed()) {
        allCompleted = false;
      } else if (metric.dryRun()) {
        worstDryRun = worse(worstDryRun, tally);
      } else {
        worst = worse(worst, tally);
      }
    }
    if (!allCompleted) {
      return new RunVerdict(AnalysisPhase.Running, null);
    }
    String score = JudgeScore.describe(metrics, tallies).orElse(null);
    if (worst != null && worst.phase != AnalysisPhase.Successful) {
      return new RunVerdict(worst.phase, joined(describe(worst, false), score));
    }
    String dryRunNote = worstDryRun != null && worstDryRun.phase != AnalysisPhase.Successful ? describe(worstDryRun, true) : null;
    return new RunVerdict(AnalysisPhase.Successful, joined(dryRunNote, score));
  }

  private static String joined(String message, String score) {
    return score == null ? message : message == null ? score : message + "; " + score;
  }

  private static MetricTally worse(MetricTally a, MetricTally b) {
    return a == null || b.phase.severity() > a.phase.severity() ? b : a;
  }

  private static String describe(MetricTally tally, boolean dryRun) {
    String message = "%smetric \"%s\" assessed %s".formatted(dryRun ? "dry-run " : "", tally.name, tally.phase);
    return tally.message == null ? message : message + " due to " + tally.message;
  }

  private static RunSummary summary(List<MetricSettings> metrics, Map<String, MetricTally> tallies, boolean dryRun) {
    List<MetricTally> of = metrics.stream().filter(m -> m.dryRun() == dryRun).map(m -> tallies.get(m.name())).toList();
    if (dryRun && of.isEmpty()) {
      return null;
    }
    return new RunSummary(of.size(), countIn(of, AnalysisPhase.Successful), countIn(of, AnalysisPhase.Failed),
        countIn(of, AnalysisPhase.Inconclusive), countIn(of, AnalysisPhase.Error));
  }

  private static int countIn(List<MetricTally> tallies, AnalysisPhase phase) {
    return (int) tallies.stream().filter(t -> t.phase == phase).count();
  }

  private static RunEvent metricEvent(MetricTally tally) {
    boolean bad = tally.phase == AnalysisPhase.Failed || tally.phase == AnalysisPhase.Error;
    String message = "%smetric \"%s\" completed %s".formatted(tally.dryRun ? "dry-run " : "", tally.name, tally.phase)
        + (tally.message == null ? "" : ": " + tally.message);
    return new RunEvent(bad && !tally.dryRun ? RunEvent.Type.Warning : RunEvent.Type.Normal, "Metric" + tally.phase, message);
  }

  private static RunEvent runEvent(RunVerdict verdict) {
    AnalysisPhase phase = verdict.phase();
    boolean bad = phase == AnalysisPhase.Failed || phase == AnalysisPhase.Error;
    String message = phase == AnalysisPhase.Running ? "analysis started"
        : "analysis completed " + phase + (verdict.message() == null ? "" : ": " + verdict.message());
    return new RunEvent(bad ? RunEvent.Type.Warning : RunEvent.Type.Normal, "AnalysisRun" + phase, message);
  }
}
