package dev.sluice.controller.plan;

import dev.sluice.api.Durations;
import dev.sluice.api.Timestamps;
import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.CanaryStrategy;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutStrategy.BlueGreenStrategy;
import dev.sluice.api.validation.LabelSelectors;
import dev.sluice.controller.plan.bluegreen.BlueGreenSettings;
import dev.sluice.controller.plan.canary.RoutingSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A validated spec with every default from api.md applied. */
public record RolloutSettings(
    ReplicaBudget budget,
    List<CanaryStep> steps,
    int revisionHistoryLimit,
    Duration progressDeadline,
    boolean progressDeadlineAbort,
    Duration abortScaleDownDelay,
    boolean paused,
    Optional<Instant> restartAt,
    Optional<String> canaryService,
    Optional<String> stableService,
    String selector,
    Optional<RoutingSettings> routing,
    Optional<RolloutAnalysis> backgroundAnalysis,
    Optional<BlueGreenSettings> blueGreen) {

  static final int DEFAULT_REPLICAS = 1;
  static final int DEFAULT_REVISION_HISTORY_LIMIT = 10;
  static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
  static final int DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS = 30;

  /** Only for specs {@link RolloutPlanner#specProblem} accepted. */
  static RolloutSettings of(RolloutSpec spec) {
    int replicas = orDefault(spec.replicas(), DEFAULT_REPLICAS);
    BlueGreenStrategy blueGreen = spec.strategy().blueGreen();
    if (blueGreen != null) {
      return new RolloutSettings(
          // the preview grows beside the full active ReplicaSet, which keeps all its pods
          new ReplicaBudget(replicas, Integer.MAX_VALUE - replicas, 0),
          List.of(),
          orDefault(spec.revisionHistoryLimit(), DEFAULT_REVISION_HISTORY_LIMIT),
          Duration.ofSeconds(orDefault(spec.progressDeadlineSeconds(), DEFAULT_PROGRESS_DEADLINE_SECONDS)),
          Boolean.TRUE.equals(spec.progressDeadlineAbort()),
          Duration.ofSeconds(orDefault(blueGreen.abortScaleDownDelaySeconds(), DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS)),
          Boolean.TRUE.equals(spec.paused()),
          Optional.ofNullable(spec.restartAt()).map(Timestamps::parse),
          Optional.empty(),
          Optional.empty(),
          LabelSelectors.format(spec.selector()),
          Optional.empty(),
          Optional.empty(),
          Optional.of(BlueGreenSettings.of(blueGreen, replicas)));
    }
    CanaryStrategy canary = spec.strategy().canary();
    Optional<RoutingSettings> routing = RoutingSettings.of(canary);
    ReplicaBudget budget = ReplicaBudget.resolve(replicas, canary.maxSurge(), canary.maxUnavailable());
    return new RolloutSettings(
        // with a router the canary grows beside a full stable, as in Argo Rollouts: no surge limit
        routing.isPresent() ? budget.withoutSurgeLimit() : budget,
        canary.steps() == null ? List.of() : List.copyOf(canary.steps()),
        orDefault(spec.revisionHistoryLimit(), DEFAULT_REVISION_HISTORY_LIMIT),
        Duration.ofSeconds(orDefault(spec.progressDeadlineSeconds(), DEFAULT_PROGRESS_DEADLINE_SECONDS)),
        Boolean.TRUE.equals(spec.progressDeadlineAbort()),
        Duration.ofSeconds(orDefault(canary.abortScaleDownDelaySeconds(), DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS)),
        Boolean.TRUE.equals(spec.paused()),
        Optional.ofNullable(spec.restartAt()).map(Timestamps::parse),
        Optional.ofNullable(canary.canaryService()).filter(s -> !s.isBlank()),
        Optional.ofNullable(canary.stableService()).filter(s -> !s.isBlank()),
        LabelSelectors.format(spec.selector()),
        routing,
        Optional.ofNullable(canary.analysis()),
        Optional.empty());
  }

  public boolean routed() {
    return routing.isPresent();
  }

  public int replicas() {
    return budget.replicas();
  }

  /** Step i's pause length; empty for {@code pause: {}}. */
  public Optional<Duration> pauseDuration(int i) {
    CanaryStep.Pause pause = steps.get(i).pause();
    return pause.duration() == null ? Optional.empty() : Optional.of(Durations.parse(pause.duration()));
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
