package dev.sluice.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controller.plan.Action.PinServiceSelector;
import dev.sluice.controller.plan.Action.ScaleReplicaSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServicePinningTest {
  @Test
  void aPlanThatPinsAServiceComesBackAtOnceToPlanWhatWaitsForIt() {
    Plan pins = new Plan(null, List.of(new PinServiceSelector("web-preview", "bbb")), List.of(), Optional.empty());

    assertThat(ServicePinning.comeBackAfterPin(pins).requeueAfter()).contains(Duration.ZERO);
    assertThat(ServicePinning.comeBackAfterPin(pins).actions()).isEqualTo(pins.actions());
  }

  @Test
  void aPlanThatPinsNothingKeepsItsOwnWakeUp() {
    Plan scales = new Plan(null, List.of(new ScaleReplicaSet("web-bbb", 3)), List.of(), Optional.of(Duration.ofSeconds(30)));

    assertThat(ServicePinning.comeBackAfterPin(scales)).isEqualTo(scales);
  }
}
