package dev.sluice.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A deadline's delay, counted from when the reconcile returns and never short of the deadline. */
class WakeUpTest {
  private static final Instant END = Instant.parse("2026-12-06T10:00:05Z");

  @Test
  void aReconcileThatTookTimeWaitsOnlyWhatIsLeft() {
    // planned at 10:00:00 for a 5 s pause, returning 1.2 s later after its writes
    assertThat(WakeUp.millisUntil(END, Instant.parse("2026-12-06T10:00:01.200Z"))).isEqualTo(3_800);
  }

  @Test
  void aPartOfAMillisecondLeftIsAWholeOne() {
    assertThat(WakeUp.millisUntil(END, END.minusNanos(300_000))).isEqualTo(1);
    assertThat(WakeUp.millisUntil(END, END.minusNanos(2_000_001))).isEqualTo(3);
  }

  @Test
  void aPassedDeadlineIsNow() {
    assertThat(WakeUp.millisUntil(END, END)).isZero();
    assertThat(WakeUp.millisUntil(END, END.plusSeconds(2))).isZero();
  }
}
