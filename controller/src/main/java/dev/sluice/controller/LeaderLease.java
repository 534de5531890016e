package dev.sluice.controller;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on the Lease {@value SluiceController#LEASE_NAME}: a replica reconciles only while
 * it holds it. A stand-by reads the Lease every {@link #LOOK_PERIOD} and takes it when it is free
 * (given back, or not renewed for its duration); then it starts reconciling ({@code onLeading}).
 *
 * <p>Not the operator SDK's election (fabric8's elector), for what it costs an idle controller: that
 * one reads the Lease before every renewal, and renews as often as a stand-by looks, so a holder
 * made two requests a second (0.26 of an idle minute's 0.33 CPU-s at 1,000 rollouts,
 * bench/results/2026-12-07-idle.md). Here the holder writes the Lease it wrote last, at that
 * version, every {@link #RENEW_PERIOD} and reads nothing; a conflict means another replica wrote it.
 * The holder also gives the Lease back when it stops (a stand-by then takes over within a second),
 * and a holder that cannot renew for {@link #RENEW_DEADLINE} exits, before any stand-by may take
 * the Lease, rather than reconcile beside the new holder.
 */
final class LeaderLease {
  private static final Logger log = LoggerFactory.getLogger(LeaderLease.class);
  static final Duration LEASE_DURATION = LeaseRules.DEFAULT_DURATION;
  /**
   * How often the holder renews: 15 writes a minute (client-go's and Argo Rollouts' holders read and
   * write every 2 s, 60 requests a minute). A failed renewal is tried again every {@link #LOOK_PERIOD},
   * so an API server that does not answer for 6 s (at worst; 10 s at best) costs no leadership.
   */
  static final Duration RENEW_PERIOD = Duration.ofSeconds(4);
  /**
   * How long the holder goes on without a renewal. With the bound on stopping reconciles (3 s) it
   * ends before a stand-by, which waits {@link #LEASE_DURATION} after the last renewal it saw, takes over.
   */
  static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  /** How often a stand-by reads the Lease (how long a given-back Lease stays free), and a failed renewal is tried again. */
  static final Duration LOOK_PERIOD = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final String namespace;
  private final String identity;
  private final Clock clock;
  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "sluice-lease");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean lost = new AtomicBoolean();
  /** The Lease as this replica last wrote it, while it leads. */
  private volatile Lease held;
  private volatile Instant renewedAt = Instant.MIN;
  private volatile boolean reachable;
  private LeaseRules.Sighting seen = LeaseRules.Sighting.NONE;
  private volatile String lastProblem;
  private Runnable onLeading;

  LeaderLease(KubernetesClient client, String namespace, String identity, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.identity = identity;
    this.clock = clock;
  }

  /** Starts looking at the Lease; {@code onLeading} runs on its own thread once this replica holds it. */
  void start(Runnable onLeading) {
    this.onLeading = onLeading;
    timer.execute(this::look);
  }

  boolean leading() {
    return held != null;
  }

  /** Whether the last request about the Lease got an answer (a stand-by is ready while it can look). */
  boolean reachable() {
    return reachable;
  }

  private NonNamespaceOperation<Lease, LeaseList, Resource<Lease>> leases() {
    return client.leases().inNamespace(namespace);
  }

  private void look() {
    if (closing.get()) {
      return;
    }
    Instant now = clock.instant();
    try {
      Lease lease = leases().withName(SluiceController.LEASE_NAME).get();
      seen = seen.next(lease, now);
      answered();
      switch (LeaseRules.standby(lease, identity, seen, now)) {
        case CREATE -> lead(leases().resource(LeaseRules.created(namespace, SluiceController.LEASE_NAME, identity, LEASE_DURATION, now)).create(), now);
        case TAKE -> lead(leases().resource(LeaseRules.taken(lease, identity, LEASE_DURATION, now)).update(), now);
        case WAIT -> timer.schedule(this::look, LOOK_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (KubernetesClientException e) {
      // no answer, a refusal, or another replica wrote the Lease between this one's read and write: look again
      failed(e);
      timer.schedule(this::look, LOOK_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void lead(Lease written, Instant at) {
    renewedAt = at;
    held = written;
    log.info("leading: Lease {}/{} held by {}", namespace, SluiceController.LEASE_NAME, identity);
    timer.schedule(this::renew, RENEW_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    watchdogIn(RENEW_DEADLINE);
    Thread start = new Thread(() -> {
      try {
        onLeading.run();
      } catch (RuntimeException e) {
        log.error("holding the Lease but could not start reconciling: exiting", e);
        exit();
      }
    }, "sluice-leading");
    start.start();
  }

  private void renew() {
    if (closing.get() || lost.get()) {
      return;
    }
    Instant now = clock.instant();
    try {
      held = leases().resource(LeaseRules.renewed(held, now)).update();
      renewedAt = now;
      answered();
      timer.schedule(this::renew, RENEW_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    } catch (KubernetesClientException e) {
      failed(e);
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        retakeOrLose();
      } else {
        timer.schedule(this::renew, LOOK_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Someone else wrote the Lease: still this replica's (another field was edited), or lost. */
  private void retakeOrLose() {
    try {
      Lease current = leases().withName(SluiceController.LEASE_NAME).get();
      String holder = current == null || current.getSpec() == null ? null : current.getSpec().getHolderIdentity();
      if (identity.equals(holder)) {
        held = current;
        timer.execute(this::renew);
      } else {
        lose("the Lease is now held by " + (holder == null ? "nobody" : holder));
      }
    } catch (KubernetesClientException e) {
      failed(e);
      timer.schedule(this::renew, LOOK_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * A renewal that hangs must not keep a replica leading past its deadline: checked on its own thread
   * when the last renewal's deadline comes, and if a renewal came since, again at that one's deadline
   * (a wake-up every 8 s or so while renewals succeed, where checking twice a second cost an idle
   * controller ~0.02 CPU-s a minute).
   */
  private void watchdog() {
    if (held == null) {
      return;
    }
    Duration left = RENEW_DEADLINE.minus(Duration.between(renewedAt, clock.instant()));
    if (left.isNegative() || left.isZero()) {
      lose("could not renew it for " + RENEW_DEADLINE.toSeconds() + " s (" + (lastProblem == null ? "no answer" : lastProblem) + ")");
    } else {
      watchdogIn(left);
    }
  }

  private void watchdogIn(Duration after) {
    timer.schedule(this::watchdog, after.toMillis() + 1, TimeUnit.MILLISECONDS);
  }

  private void lose(String why) {
    if (closing.get() || !lost.compareAndSet(false, true)) {
      return;
    }
    held = null;
    log.error("lost the Lease {}/{} while running: {}; exiting so that only the new leader reconciles", namespace,
        SluiceController.LEASE_NAME, why);
    exit();
  }

  private static void exit() {
    // not from the calling thread: exit runs the shutdown hooks, which stop this Lease and wait for the operator
    new Thread(() -> System.exit(1), "sluice-lost-lease").start();
  }

  private void answered() {
    reachable = true;
    lastProblem = null;
  }

  private void failed(KubernetesClientException e) {
    if (closing.get()) {
      return; // a request stop() interrupted
    }
    if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
      // another replica wrote it first (two stand-bys taking a given-back Lease): an answer, not a problem
      answered();
      return;
    }
    reachable = false;
    String problem = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getCode() + " " + e.getStatus().getMessage() : e.getMessage();
    if (!Objects.equals(problem, lastProblem)) {
      log.warn("Lease {}/{}: {}", namespace, SluiceController.LEASE_NAME, problem);
    }
    lastProblem = problem;
  }

  /** Stops renewing and looking; from now on losing the Lease is expected. */
  void stop() {
    closing.set(true);
    timer.shutdownNow();
    try {
      timer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Gives the Lease back if this replica holds it, so a stand-by takes over at its next look. */
  void release() {
    Lease lease = held;
    if (lease == null) {
      return;
    }
    try {
      leases().resource(LeaseRules.released(lease, clock.instant())).update();
      held = null;
      log.info("released the Lease {}/{}", namespace, SluiceController.LEASE_NAME);
    } catch (KubernetesClientException e) {
      log.warn("could not release the Lease {}/{} (a stand-by takes over when it expires): {}", namespace,
          SluiceController.LEASE_NAME, e.getMessage());
    }
  }
}
