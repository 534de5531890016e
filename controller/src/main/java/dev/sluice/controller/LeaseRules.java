package dev.sluice.controller;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The rules of leader election on a Lease, without I/O: what a replica that does not hold it may
 * do, and the Lease it writes to take, renew or give it back.
 *
 * <p>Whether another's Lease has expired is judged like client-go does: by when this replica saw it
 * last change (its own clock), plus the Lease's duration, never by the renewTime the holder wrote
 * (the two machines' clocks may differ).
 */
final class LeaseRules {
  /** A Lease whose duration is missing, or outside 1 s to 1 h, counts as this long. */
  static final Duration DEFAULT_DURATION = Duration.ofSeconds(15);
  private static final Duration LONGEST = Duration.ofHours(1);

  enum Move { CREATE, TAKE, WAIT }

  /** A Lease as a stand-by saw it: its version, and when that version was first seen. */
  record Sighting(String resourceVersion, Instant since) {
    static final Sighting NONE = new Sighting(null, Instant.MIN);

    /** This sighting after reading {@code lease} (null: none) at {@code now}. */
    Sighting next(Lease lease, Instant now) {
      String version = lease == null ? null : lease.getMetadata().getResourceVersion();
      return this != NONE && Objects.equals(version, resourceVersion) ? this : new Sighting(version, now);
    }
  }

  private LeaseRules() {}

  /** What a replica that is not leading does about {@code lease} (null: there is none). */
  static Move standby(Lease lease, String identity, Sighting seen, Instant now) {
    if (lease == null) {
      return Move.CREATE;
    }
    String holder = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    if (holder == null || holder.isBlank() || holder.equals(identity)) {
      return Move.TAKE;
    }
    return seen.since().plus(duration(lease)).isAfter(now) ? Move.WAIT : Move.TAKE;
  }

  static Duration duration(Lease lease) {
    Integer seconds = lease.getSpec() == null ? null : lease.getSpec().getLeaseDurationSeconds();
    if (seconds == null || seconds < 1 || seconds > LONGEST.toSeconds()) {
      return DEFAULT_DURATION;
    }
    return Duration.ofSeconds(seconds);
  }

  /** A new Lease held by {@code identity}. */
  static Lease created(String namespace, String name, String identity, Duration duration, Instant now) {
    return new LeaseBuilder()
        .withMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build())
        .withNewSpec()
        .withHolderIdentity(identity)
        .withLeaseDurationSeconds((int) duration.toSeconds())
        .withAcquireTime(time(now))
        .withRenewTime(time(now))
        .withLeaseTransitions(0)
        .endSpec()
        .build();
  }

  /** {@code lease} taken by {@code identity} (one transition more), to be written at its resourceVersion. */
  static Lease taken(Lease lease, String identity, Duration duration, Instant now) {
    Integer transitions = lease.getSpec() == null ? null : lease.getSpec().getLeaseTransitions();
    boolean sameHolder = lease.getSpec() != null && identity.equals(lease.getSpec().getHolderIdentity());
    return new LeaseBuilder(lease)
        .editOrNewSpec()
        .withHolderIdentity(identity)
        .withLeaseDurationSeconds((int) duration.toSeconds())
        .withAcquireTime(time(now))
        .withRenewTime(time(now))
        .withLeaseTransitions((transitions == null ? 0 : transitions) + (sameHolder ? 0 : 1))
        .endSpec()
        .build();
  }

  /** The holder's {@code lease} renewed at {@code now}, to be written at its resourceVersion. */
  static Lease renewed(Lease lease, Instant now) {
    return new LeaseBuilder(lease).editSpec().withRenewTime(time(now)).endSpec().build();
  }

  /**
   * The holder's {@code lease} given back: no holder, and a duration of a second for any replica
   * that judges by the duration alone (like client-go's release).
   */
  static Lease released(Lease lease, Instant now) {
    return new LeaseBuilder(lease).editSpec()
        .withHolderIdentity(null)
        .withLeaseDurationSeconds(1)
        .withAcquireTime(time(now))
        .withRenewTime(time(now))
        .endSpec().build();
  }

  private static java.time.ZonedDateTime time(Instant instant) {
    return instant.atZone(ZoneOffset.UTC);
  }
}
