package dev.sluice.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectorBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lease that lets one controller replica reconcile. The operator SDK runs the election; this
 * adds what it lacks: a leader that shuts down gives the Lease back at once (the SDK never releases
 * it, so the stand-by used to wait for it to expire), and a leader that loses the Lease while still
 * running exits rather than reconcile beside the new one (the SDK's own exit, System.exit inside
 * its callback, would block forever when it runs during a shutdown hook).
 */
final class LeaderLease {
  private static final Logger log = LoggerFactory.getLogger(LeaderLease.class);
  static final Duration LEASE_DURATION = Duration.ofSeconds(15);
  static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  /** How often a stand-by looks at the Lease: how long a released Lease stays free at most. */
  static final Duration RETRY_PERIOD = Duration.ofSeconds(1);

  private final String namespace;
  private final String identity;
  private final AtomicBoolean closing = new AtomicBoolean();

  LeaderLease(String namespace, String identity) {
    this.namespace = namespace;
    this.identity = identity;
  }

  LeaderElectionConfiguration configuration() {
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(SluiceController.LEASE_NAME)
        .withLeaseNamespace(namespace)
        .withIdentity(identity)
        .withLeaseDuration(LEASE_DURATION)
        .withRenewDeadline(RENEW_DEADLINE)
        .withRetryPeriod(RETRY_PERIOD)
        .withExitOnStopLeading(false)
        .withLeaderCallbacks(new LeaderCallbacks(() -> log.info("leading: Lease {}/{} held by {}", namespace, SluiceController.LEASE_NAME, identity),
            this::stoppedLeading, leader -> {}))
        .build();
  }

  private void stoppedLeading() {
    if (closing.get()) {
      return;
    }
    log.error("lost the Lease {}/{} while running: exiting so that only the new leader reconciles", namespace, SluiceController.LEASE_NAME);
    // not from this thread: exit runs the shutdown hooks, which wait for the operator this callback belongs to
    new Thread(() -> System.exit(1), "sluice-lost-lease").start();
  }

  /** From now on losing the Lease is expected. */
  void closing() {
    closing.set(true);
  }

  /** Gives the Lease back if this replica holds it, so a stand-by takes over at its next look. */
  void release(KubernetesClient client) {
    var config = new LeaderElectionConfig(new LeaseLock(namespace, SluiceController.LEASE_NAME, identity),
        LEASE_DURATION, RENEW_DEADLINE, RETRY_PERIOD, new LeaderCallbacks(() -> {}, () -> {}, leader -> {}), true, SluiceController.LEASE_NAME);
    try {
      if (new LeaderElectorBuilder(client, Runnable::run).withConfig(config).build().release()) {
        log.info("released the Lease {}/{}", namespace, SluiceController.LEASE_NAME);
      }
    } catch (RuntimeException e) {
      log.warn("could not release the Lease {}/{} (a stand-by takes over when it expires): {}", namespace,
          SluiceController.LEASE_NAME, e.getMessage());
    }
  }
}
