package dev.sluice.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpdateIdealTest {
  private static final long S = 1_000_000_000L;

  private static UpdateIdeal.Wait waited(double from, double to) {
    return new UpdateIdeal.Wait((long) (from * S), (long) (to * S));
  }

  @Test
  void readinessCountsTimeWhenTwoReplicaSetsWaitAtOnceOnce() {
    assertThat(UpdateIdeal.readinessSeconds(List.of())).isZero();
    // apart: 1 + 2
    assertThat(UpdateIdeal.readinessSeconds(List.of(waited(5, 7), waited(0, 1)))).isCloseTo(3.0, within(1e-9));
    // overlapping and one inside another: 0..4 covered
    assertThat(UpdateIdeal.readinessSeconds(List.of(waited(0, 3), waited(1, 2), waited(2, 4)))).isCloseTo(4.0, within(1e-9));
    // touching ends
    assertThat(UpdateIdeal.readinessSeconds(List.of(waited(0, 1), waited(1, 2)))).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void eachRolloutsIdealIsThePausesPlusItsOwnReadinessAndItsRatioIsItsUpdateOverThat() {
    Map<String, Double> updates = new LinkedHashMap<>();
    Map<String, List<UpdateIdeal.Wait>> waits = new LinkedHashMap<>();
    for (int i = 0; i < 100; i++) {
      updates.put("r" + i, 12.0); // waited 2 s for pods: ideal 12, ratio 1
      waits.put("r" + i, List.of(waited(0, 1), waited(20, 21)));
    }
    updates.put("r0", 60.0); // its pods took 20 s: ideal 30, ratio 2
    waits.put("r0", List.of(waited(0, 20)));
    updates.put("r1", 40.0); // no wait seen: ideal the pauses alone, ratio 4
    waits.remove("r1");

    Map<String, Double> f = UpdateIdeal.figures(updates, waits, 10);

    assertThat(f).containsEntry("sum of pauses s", 10.0).containsEntry("pod readiness p50 s", 2.0)
        .containsEntry("pod readiness p99 s", 20.0).containsEntry("ideal update p99 s", 30.0)
        .containsEntry("update / ideal p50", 1.0).containsEntry("update / ideal p99", 4.0)
        .containsEntry("update - ideal p50 s", 0.0).containsEntry("update - ideal p99 s", 30.0);
    assertThat(f).containsOnlyKeys("sum of pauses s", "pod readiness p50 s", "pod readiness p99 s", "ideal update p99 s",
        "update / ideal p50", "update / ideal p99", "update - ideal p50 s", "update - ideal p99 s");
  }

  @Test
  void quantileIsTheNearestRankOfTheValuesInAnyOrder() {
    assertThat(UpdateIdeal.quantile(List.of(3.0, 1.0, 2.0), 0.5)).isEqualTo(2.0);
    assertThat(UpdateIdeal.quantile(List.of(3.0, 1.0, 2.0), 0.99)).isEqualTo(3.0);
    assertThat(UpdateIdeal.quantile(List.of(), 0.5)).isNaN();
  }
}
