package dev.sluice.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.RolloutCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CountWritesTest {
  static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

  static RolloutStatus status(int step, int ready, int available, String availableCondition, String updated) {
    return new RolloutStatus("Progressing", null, 2L, "bbb", "aaa", step, "h", 2, 1, ready, available, 2, "app=web",
        null, null, null, null, null, null, null, null,
        List.of(new RolloutCondition("Available", availableCondition, "AvailableReason", "AvailableReason",
            "2026-12-06T09:00:00Z", updated)));
  }

  @Test
  void podCountsAloneWaitForASecondAfterTheLastWriteThenGoOut() {
    var writes = new CountWrites();
    RolloutStatus written = status(0, 1, 1, "True", "2026-12-06T09:59:59Z");
    RolloutStatus moreReady = status(0, 2, 1, "True", "2026-12-06T10:00:00Z");
    writes.written("shop/web", T0);

    assertThat(writes.wait("shop/web", written, moreReady, T0.plusMillis(300))).contains(Duration.ofMillis(700));
    assertThat(writes.wait("shop/web", written, moreReady, T0.plusSeconds(1))).isEmpty();
  }

  @Test
  void anythingElseIsWrittenAtOnce() {
    var writes = new CountWrites();
    RolloutStatus written = status(0, 1, 1, "True", "2026-12-06T09:59:59Z");
    writes.written("shop/web", T0);

    assertThat(writes.wait("shop/web", written, status(1, 1, 1, "True", null), T0.plusMillis(10)))
        .as("the step moved").isEmpty();
    assertThat(writes.wait("shop/web", written, status(0, 1, 0, "False", null), T0.plusMillis(10)))
        .as("a condition flipped").isEmpty();
  }

  @Test
  void aRolloutNotWrittenYetOrForgottenIsWrittenAtOnce() {
    var writes = new CountWrites();
    RolloutStatus written = status(0, 1, 1, "True", null);
    RolloutStatus moreReady = status(0, 2, 1, "True", null);
    assertThat(writes.wait("shop/web", written, moreReady, T0)).isEmpty();

    writes.written("shop/web", T0);
    writes.forget("shop/web");
    assertThat(writes.wait("shop/web", written, moreReady, T0)).isEmpty();
    assertThat(CountWrites.onlyCounts(written, written)).as("no change is no count change").isFalse();
  }
}
