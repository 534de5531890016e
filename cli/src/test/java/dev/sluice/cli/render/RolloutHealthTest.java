package dev.sluice.cli.render;

import static dev.sluice.cli.render.Fixtures.rollout;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RolloutHealthTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      'phase: Healthy, observedGeneration: 2'                                   | HEALTHY     | Healthy
      'phase: Degraded, observedGeneration: 2, message: "ProgressDeadlineExceeded: no progress in 600s"' | DEGRADED | Degraded: ProgressDeadlineExceeded: no progress in 600s
      'phase: Paused, observedGeneration: 2, message: CanaryPauseStep'          | IN_PROGRESS | Paused: CanaryPauseStep
      'phase: Progressing, observedGeneration: 2'                               | IN_PROGRESS | Progressing
      'phase: Healthy, observedGeneration: 1'                                   | IN_PROGRESS | Progressing: waiting for the controller to see the latest spec (generation 2)
      'phase: Healthy'                                                          | IN_PROGRESS | Progressing: waiting for the controller to see the latest spec (generation 2)
      'observedGeneration: 2'                                                   | IN_PROGRESS | Progressing: waiting for the controller to report a status
      'phase: Paused, observedGeneration: 2, message: "BlueGreenPause: preview ready", blueGreen: {activeSelector: 5d8b, previewSelector: 7c9f}' | IN_PROGRESS | Paused: BlueGreenPause: preview ready [active 5d8b, preview 7c9f]
      'phase: Progressing, observedGeneration: 2, blueGreen: {activeSelector: 7c9f, previewSelector: 7c9f}' | IN_PROGRESS | Progressing [active 7c9f, preview 7c9f]
      'phase: Healthy, observedGeneration: 2, blueGreen: {activeSelector: 7c9f}' | HEALTHY | Healthy [active 7c9f]
      """)
  void onlyAnUpToDateHealthyOrDegradedStatusEndsTheWait(String status, RolloutHealth.Verdict verdict, String line) {
    var rollout = rollout("""
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata: {name: web, generation: 2}
        status: {%s}
        """.formatted(status));

    RolloutHealth.Health health = RolloutHealth.of(rollout);

    assertThat(health.verdict()).isEqualTo(verdict);
    assertThat(health.line()).isEqualTo(line);
  }
}
