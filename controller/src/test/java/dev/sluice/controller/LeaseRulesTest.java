package dev.sluice.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controller.LeaseRules.Move;
import dev.sluice.controller.LeaseRules.Sighting;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LeaseRulesTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  private static Lease lease(String holder, Integer seconds, String version) {
    return new LeaseBuilder().withNewMetadata().withNamespace("ns").withName("sluice-controller").withResourceVersion(version).endMetadata()
        .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds(seconds)
        // a holder's clock far ahead: a stand-by must not trust it
        .withRenewTime(T0.plus(Duration.ofHours(1)).atZone(ZoneOffset.UTC)).withLeaseTransitions(3).endSpec().build();
  }

  @Test
  void anotherHoldersLeaseIsTakenOnlyOnceItWentUnchangedForItsDurationOnTheStandbysOwnClock() {
    Lease held = lease("other", 15, "7");
    Sighting seen = Sighting.NONE.next(held, T0);
    assertThat(LeaseRules.standby(held, "me", seen, T0.plusSeconds(14))).isEqualTo(Move.WAIT);
    assertThat(LeaseRules.standby(held, "me", seen.next(held, T0.plusSeconds(14)), T0.plusSeconds(15))).isEqualTo(Move.TAKE);

    // renewed (a new version) at 10 s: its 15 s count from when that was seen
    Lease renewed = lease("other", 15, "8");
    Sighting later = seen.next(renewed, T0.plusSeconds(10));
    assertThat(later.since()).isEqualTo(T0.plusSeconds(10));
    assertThat(LeaseRules.standby(renewed, "me", later, T0.plusSeconds(24))).isEqualTo(Move.WAIT);
    assertThat(LeaseRules.standby(renewed, "me", later, T0.plusSeconds(25))).isEqualTo(Move.TAKE);
  }

  @Test
  void noLeaseIsCreatedAndAGivenBackOneIsTakenAtOnce() {
    assertThat(LeaseRules.standby(null, "me", Sighting.NONE.next(null, T0), T0)).isEqualTo(Move.CREATE);
    Lease released = LeaseRules.released(lease("other", 15, "9"), T0);
    assertThat(released.getSpec().getHolderIdentity()).isNull();
    assertThat(LeaseRules.standby(released, "me", Sighting.NONE.next(released, T0), T0)).isEqualTo(Move.TAKE);
  }

  @Test
  void aDurationOutsideOneSecondToAnHourCountsAsFifteenSeconds() {
    for (Integer seconds : new Integer[] {null, 0, -5, 3601, Integer.MAX_VALUE}) {
      Lease held = lease("other", seconds, "1");
      Sighting seen = Sighting.NONE.next(held, T0);
      assertThat(LeaseRules.standby(held, "me", seen, T0.plusSeconds(14))).as("duration %s", seconds).isEqualTo(Move.WAIT);
      assertThat(LeaseRules.standby(held, "me", seen, T0.plusSeconds(15))).as("duration %s", seconds).isEqualTo(Move.TAKE);
    }
  }

  @Test
  void takingCountsATransitionAndKeepsTheVersionItWasReadAtRenewingChangesOnlyTheRenewTime() {
    Lease taken = LeaseRules.taken(lease("other", 15, "7"), "me", Duration.ofSeconds(15), T0);
    assertThat(taken.getMetadata().getResourceVersion()).as("written at the version read: a conflict if another wrote since").isEqualTo("7");
    assertThat(taken.getSpec().getHolderIdentity()).isEqualTo("me");
    assertThat(taken.getSpec().getLeaseTransitions()).isEqualTo(4);
    assertThat(taken.getSpec().getAcquireTime().toInstant()).isEqualTo(T0);

    Lease renewed = LeaseRules.renewed(taken, T0.plusSeconds(2));
    assertThat(renewed.getSpec().getRenewTime().toInstant()).isEqualTo(T0.plusSeconds(2));
    assertThat(renewed.getSpec().getAcquireTime().toInstant()).isEqualTo(T0);
    assertThat(renewed.getSpec().getHolderIdentity()).isEqualTo("me");
    assertThat(renewed.getMetadata().getResourceVersion()).isEqualTo("7");
  }
}
