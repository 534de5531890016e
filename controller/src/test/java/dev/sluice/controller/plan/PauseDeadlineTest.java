package dev.sluice.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PauseDeadlineTest {
  private static final String STARTED = "2026-12-07T10:00:00Z";

  private static Rollout rollout(String yaml) {
    return Serialization.unmarshal("apiVersion: sluice.dev/v1alpha1\nkind: Rollout\nmetadata: {name: web}\n" + yaml, Rollout.class);
  }

  private static Rollout canaryAt(int step, String pauseReason, String extraSpec) {
    return rollout("""
        spec:
          %s
          strategy:
            canary:
              steps: [{setWeight: 25}, {pause: {duration: 90s}}, {setWeight: 50}, {pause: {}}]
        status:
          currentStepIndex: %d
          pauseConditions: [{reason: %s, startTime: "%s"}]
        """.formatted(extraSpec, step, pauseReason, STARTED));
  }

  @Test
  void aCanaryPauseStepWithADurationEndsThatLongAfterItsConditionStarted() {
    assertThat(PauseDeadline.of(canaryAt(1, "CanaryPauseStep", "replicas: 2")))
        .contains(Instant.parse(STARTED).plusSeconds(90));
  }

  @Test
  void noDeadlineOffATimedPauseStepOrInAPauseThatWaitsForAPerson() {
    assertThat(PauseDeadline.of(canaryAt(0, "CanaryPauseStep", "replicas: 2"))).isEmpty();
    assertThat(PauseDeadline.of(canaryAt(3, "CanaryPauseStep", "replicas: 2"))).isEmpty();
    assertThat(PauseDeadline.of(canaryAt(1, "PausedByUser", "replicas: 2"))).isEmpty();
  }

  @Test
  void noDeadlineWhileTheUserPausedTheRollout() {
    assertThat(PauseDeadline.of(canaryAt(1, "CanaryPauseStep", "paused: true"))).isEmpty();
  }

  @Test
  void aBlueGreenAutoPromotionEndsItsPauseAfterItsSeconds() {
    Rollout blueGreen = rollout("""
        spec:
          strategy:
            blueGreen: {activeService: web, autoPromotionSeconds: 30}
        status:
          pauseConditions: [{reason: BlueGreenPause, startTime: "%s"}]
        """.formatted(STARTED));
    assertThat(PauseDeadline.of(blueGreen)).contains(Instant.parse(STARTED).plusSeconds(30));
  }

  @Test
  void aSpecOrStatusItCannotReadHasNoDeadlineAndThrowsNothing() {
    Rollout badDuration = rollout("""
        spec:
          strategy:
            canary:
              steps: [{pause: {duration: "1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s"}}]
        status:
          currentStepIndex: 0
          pauseConditions: [{reason: CanaryPauseStep, startTime: "%s"}]
        """.formatted(STARTED));
    Rollout badTime = rollout("""
        spec:
          strategy:
            canary:
              steps: [{pause: {duration: 5s}}]
        status:
          currentStepIndex: 0
          pauseConditions: [{reason: CanaryPauseStep, startTime: "yesterday"}]
        """);
    Rollout stepOutOfRange = canaryAt(9, "CanaryPauseStep", "replicas: 2");
    assertThat(PauseDeadline.of(badDuration)).isEmpty();
    assertThat(PauseDeadline.of(badTime)).isEmpty();
    assertThat(PauseDeadline.of(stepOutOfRange)).isEmpty();
    assertThat(PauseDeadline.of(rollout("spec: {}"))).isEmpty();
  }

  @Test
  void aTimedPauseLeftAfterItsTimeEndedThatLateOneStillGoingOnOrLeftEarlyDidNot() {
    Rollout paused = canaryAt(1, "CanaryPauseStep", "replicas: 2");
    Instant due = Instant.parse(STARTED).plusSeconds(90);
    // the next step's status: no pause condition, the setWeight after the pause
    var left = rollout("""
        spec:
          strategy:
            canary:
              steps: [{setWeight: 25}, {pause: {duration: 90s}}, {setWeight: 50}, {pause: {}}]
        status:
          currentStepIndex: 2
        """).getStatus();

    assertThat(PauseDeadline.endedLate(paused.getSpec(), paused.getStatus(), left, due.plusMillis(180)))
        .contains(Duration.ofMillis(180));
    assertThat(PauseDeadline.endedLate(paused.getSpec(), paused.getStatus(), paused.getStatus(), due.plusSeconds(1)))
        .as("still in the pause: a write of something else").isEmpty();
    assertThat(PauseDeadline.endedLate(paused.getSpec(), paused.getStatus(), left, due.minusSeconds(30)))
        .as("promoted before its time").isEmpty();
    Rollout manual = canaryAt(3, "CanaryPauseStep", "replicas: 2");
    assertThat(PauseDeadline.endedLate(manual.getSpec(), manual.getStatus(), left, due.plusSeconds(600)))
        .as("a pause without a duration has no time to be late for").isEmpty();
  }
}
