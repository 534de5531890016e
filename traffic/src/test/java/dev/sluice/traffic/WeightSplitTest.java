package dev.sluice.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.traffic.TrafficRoutingException.Reason;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WeightSplitTest {

  @ParameterizedTest
  @ValueSource(ints = {-1, 101})
  void aWeightOutsideMaxTrafficWeightIsAnInvalidSpec(int weight) {
    assertThatThrownBy(() -> WeightSplit.of(weight, 100))
        .isInstanceOfSatisfying(TrafficRoutingException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.INVALID_SPEC);
          assertThat(e.retryable()).isFalse();
        })
        .hasMessage("canary weight " + weight + " is outside 0..100 (trafficRouting.maxTrafficWeight)");
  }

  @Test
  void shareIsScaledToTheTotal() {
    assertThat(WeightSplit.share(1, 3, 100)).contains(25);
    assertThat(WeightSplit.share(1, 1, 1000)).contains(500);
    assertThat(WeightSplit.share(0, 0, 100)).isEmpty();
  }

  @Test
  void agreedWeightNeedsEveryObjectToAgree() {
    assertThat(WeightSplit.agreed(List.of(Optional.of(10), Optional.of(10)))).contains(10);
    assertThat(WeightSplit.agreed(List.of(Optional.of(10), Optional.of(20)))).isEmpty();
    assertThat(WeightSplit.agreed(List.of(Optional.of(10), Optional.empty()))).isEmpty();
    assertThat(WeightSplit.agreed(List.of())).isEmpty();
  }
}
