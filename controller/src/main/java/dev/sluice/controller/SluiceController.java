package dev.sluice.controller;

import dev.sluice.analysis.provider.AddressRange;
import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.controller.analysis.AnalysisRunReconciler;
import dev.sluice.controller.metrics.ControllerMetrics;
import dev.sluice.controller.metrics.PrimaryCache;
import dev.sluice.controller.notifications.Notifier;
import dev.sluice.controller.plan.PauseDeadline;
import dev.sluice.controller.rollout.RolloutReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The controller as a library: what {@link Main} runs, and what e2e tests start in their own JVM. */
public final class SluiceController implements AutoCloseable {

  /**
   * @param namespaces namespaces to watch; empty = all
   * @param leaderElectionNamespace where the Lease lives; null = no leader election
   * @param metricAllow the only address ranges metric providers (prometheus, judge, web) may reach; empty = any not denied
   * @param metricDeny ranges metric providers may not reach, besides link-local and the API server
   * @param notificationsNamespace where the ConfigMap sluice-notifications and its Secret are; null = no notifications
   */
  public record Options(Set<String> namespaces, String leaderElectionNamespace, String identity,
      List<AddressRange> metricAllow, List<AddressRange> metricDeny, String notificationsNamespace) {
    public Options(Set<String> namespaces, String leaderElectionNamespace, String identity) {
      this(namespaces, leaderElectionNamespace, identity, List.of(), List.of(), null);
    }

    /** The same options, with notifications configured in {@code namespace} (null: off). */
    public Options withNotificationsNamespace(String namespace) {
      return new Options(namespaces, leaderElectionNamespace, identity, metricAllow, metricDeny, namespace);
    }
  }

  public static final String LEASE_NAME = "sluice-controller";

  /**
   * Reconciles at once (JOSDK's default is 50). A reconcile mostly waits on the API server
   * (measurements run on their own threads; the client's rate limit, 100 requests/s by default,
   * bounds the load), so more threads mean more requests in flight at once on the API server, not
   * more done. 32 were tried (bench/results/2026-12-07-threads.md): a restarted controller catching up
   * on 30 overdue rollouts (ChaosE2ETest) ended its worst pause 0.43-1.04 s after /readyz instead of
   * 0.83-1.42 s, but bench/scale N=100 ended pauses later (overrun p99 0.64 and 0.95 s against 0.44 s),
   * wrote more (3.2 against 3.0 writes per rollout per step) and peaked 3 MB higher; 48 were
   * worse still (bench/results/2026-12-07-pace.md).
   */
  static final int RECONCILE_THREADS = 16;
  /** How long a stop waits for reconciles in flight. */
  private static final Duration RECONCILE_TERMINATION = Duration.ofSeconds(2);
  /** How long a stop waits for the operator at all (its stop has been seen to hang); the process exits anyway. */
  private static final Duration STOP_BOUND = Duration.ofSeconds(3);
  private static final Logger log = LoggerFactory.getLogger(SluiceController.class);

  private final Operator operator;
  private final ControllerMetrics metrics;
  private final AnalysisRunReconciler analysisRuns;
  private final KubernetesClient client;
  private final LeaderLease lease;
  private final DeadlineFirstExecutor reconciles;
  private final Notifier notifier;

  public SluiceController(KubernetesClient client, Options options, Clock clock) {
    this(client, options, clock, null);
  }

  /** @param metrics where reconcile metrics and the rollout/analysis gauges go; null = none */
  public SluiceController(KubernetesClient client, Options options, Clock clock, ControllerMetrics metrics) {
    this.metrics = metrics;
    this.client = client;
    this.lease = options.leaderElectionNamespace() == null ? null : new LeaderLease(client, options.leaderElectionNamespace(),
        options.identity() != null ? options.identity() : "sluice-controller-" + UUID.randomUUID(), clock);
    // made here, not in the lambda: JOSDK applies the lambda twice (once only to find the client), and
    // an executor made in it started 16 more threads that never ran anything
    reconciles = new DeadlineFirstExecutor(RECONCILE_THREADS, SluiceController::pauseDeadline, clock);
    reconciles.hold(); // until the operator has started: see startOperator
    operator = new Operator(o -> {
      o.withKubernetesClient(client).withCloseClientOnStop(false).withStopOnInformerErrorDuringStartup(false);
      if (metrics != null) o.withMetrics(metrics.operatorMetrics());
      o.withReconciliationTerminationTimeout(RECONCILE_TERMINATION);
      o.withExecutorService(reconciles);
    });
    notifier = options.notificationsNamespace() == null ? Notifier.off() : new Notifier(client, options.notificationsNamespace(), clock);
    OwnStatusWrites ownWrites = new OwnStatusWrites();
    operator.register(new RolloutReconciler(clock, notifier, ownWrites, metrics == null ? late -> {} : metrics::pauseEnded), c -> {
      c.withItemStore(CachedObjects.store());
      // its own status writes coming back through the watch: the reconcile that wrote them knew all they carry
      c.withOnUpdateFilter((now, old) -> !ownWrites.isOwn(now));
      if (!options.namespaces().isEmpty()) c.settingNamespaces(options.namespaces());
    });
    analysisRuns = AnalysisRunReconciler.register(operator, options.namespaces(), clock, options.metricAllow(), options.metricDeny());
  }

  /** When the pause of the rollout a reconcile task is for ends; AnalysisRuns' tasks have no deadline here. */
  private static Optional<Instant> pauseDeadline(Runnable task) {
    return ReconcileTasks.resourceOf(task)
        .filter(Rollout.class::isInstance)
        .flatMap(r -> PauseDeadline.of((Rollout) r));
  }

  /**
   * Starts reconciling, or with leader election starts looking at the Lease and reconciles once it
   * holds it: a stand-by opens no watch and caches nothing until then (taking over lists what the
   * informers need, like a restart).
   */
  public SluiceController start() {
    if (lease == null) {
      startOperator();
    } else {
      lease.start(this::startOperator);
    }
    return this;
  }

  private void startOperator() {
    try {
      operator.start(); // its informers synced, a reconcile queued for every rollout
    } finally {
      reconciles.release();
    }
    if (metrics != null) metrics.watch(PrimaryCache.of(operator, Rollout.class), PrimaryCache.of(operator, AnalysisRun.class));
  }

  /** Ready when it reconciles with its informers in sync, or as a stand-by when it can read the Lease. */
  public boolean ready() {
    if (lease != null && !lease.leading()) {
      return lease.reachable();
    }
    var info = operator.getRuntimeInfo();
    return info.isStarted() && info.allEventSourcesAreHealthy();
  }

  /**
   * Stops reconciling (waiting at most {@link #STOP_BOUND}), then gives the Lease back, so a stand-by
   * takes over within a second while this one is no longer reconciling.
   */
  @Override
  public void close() {
    if (lease != null) lease.stop();
    // also when it never started (a stand-by): stopping shuts its reconcile threads down
    Thread stop = new Thread(operator::stop, "sluice-operator-stop");
    stop.setDaemon(true);
    stop.start();
    try {
      stop.join(STOP_BOUND.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    analysisRuns.close();
    notifier.close();
    if (stop.isAlive()) {
      log.warn("the operator did not stop within {}s: going on without it", STOP_BOUND.toSeconds());
    }
    if (lease != null) lease.release();
  }
}
