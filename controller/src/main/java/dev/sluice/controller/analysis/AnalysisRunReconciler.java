package dev.sluice.controller.analysis;

import dev.sluice.controller.KubernetesEvents;
import dev.sluice.controller.CachedObjects;
import dev.sluice.controller.StatusWrites;
import dev.sluice.controller.WakeUp;
import dev.sluice.controller.serialization.UnreadableResources;
import dev.sluice.analysis.AnalysisLabels;
import dev.sluice.analysis.AnalysisPhase;
import dev.sluice.analysis.AnalysisRunPreparer;
import dev.sluice.analysis.AnalysisSpecException;
import dev.sluice.analysis.MeasurementTaker;
import dev.sluice.analysis.PreparedRun;
import dev.sluice.analysis.args.Redactor;
import dev.sluice.analysis.condition.ConditionEvaluator;
import dev.sluice.analysis.provider.AddressRange;
import dev.sluice.analysis.provider.HttpClients;
import dev.sluice.analysis.provider.ProviderAddressPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.stream.Collectors;
import dev.sluice.analysis.provider.MeasurementProviders;
import dev.sluice.analysis.provider.RunReference;
import dev.sluice.analysis.run.AnalysisRunPlanner;
import dev.sluice.analysis.run.DueMeasurement;
import dev.sluice.analysis.run.RunAssessment;
import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.AnalysisRunStatus;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.Measurement;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import dev.sluice.analysis.work.MeasurementQueue;
import dev.sluice.analysis.work.NamespaceFairExecutor;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile of an AnalysisRun: prepare the spec (arguments, conditions), ask the planner which
 * measurements are due, take them, let the planner fold them into the status, write the status if
 * it changed, record the transitions, and come back when the next measurement is due. Jobs of job
 * metrics wake the run through an informer; nothing polls. Prometheus and web measurements wait on
 * remote servers, so they are taken on a {@link MeasurementQueue} (threads shared fairly between
 * namespaces) and wake the run when done: one tenant's slow server never holds a reconcile thread.
 *
 * <p>The status is written before the next measurement is scheduled, with optimistic locking on the
 * status it was planned from, so neither a restart nor a stale cache can lose or repeat a measurement.
 */
// a status-only change (terminate is in spec, but Jobs and our own writes are not) must wake the run too
@ControllerConfiguration(name = "analysisrun", generationAwareEventProcessing = false)
@GradualRetry(initialInterval = 250, intervalMultiplier = 2, maxInterval = 10_000, maxAttempts = 1_000_000)
public final class AnalysisRunReconciler implements Reconciler<AnalysisRun>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("dev.sluice.analysis");

  /** Threads for measurements that wait on remote servers, and how many of them one namespace may hold. */
  public static final int MEASUREMENT_THREADS = 16;
  public static final int MEASUREMENT_THREADS_PER_NAMESPACE = 4;

  private final Clock clock;
  private final List<AddressRange> metricAllow;
  private final List<AddressRange> metricDeny;
  private final AnalysisRunPlanner planner = new AnalysisRunPlanner();
  private final AnalysisRunPreparer preparer = new AnalysisRunPreparer(new ConditionEvaluator());
  private final SimpleInboundEventSource<AnalysisRun> measured = new SimpleInboundEventSource<>("measured");
  private final MeasurementQueue measurements;
  private InformerEventSource<Job, AnalysisRun> jobs;
  private Supplier<MeasurementTaker> newTaker;
  private volatile MeasurementTaker taker;

  /**
   * @param metricAllow the only address ranges metric providers (prometheus, judge, web) may reach; empty = any not denied
   * @param metricDeny ranges metric providers may not reach, besides link-local and the API server
   */
  public AnalysisRunReconciler(Clock clock, List<AddressRange> metricAllow, List<AddressRange> metricDeny) {
    this.clock = clock;
    this.metricAllow = List.copyOf(metricAllow);
    this.metricDeny = List.copyOf(metricDeny);
    this.measurements = new MeasurementQueue(new NamespaceFairExecutor(MEASUREMENT_THREADS, MEASUREMENT_THREADS_PER_NAMESPACE),
        key -> measured.propagateEvent(new ResourceID(key.run(), key.namespace())));
  }

  /**
   * Registers the reconciler with an operator that is not started yet.
   *
   * @param namespaces namespaces to watch; empty = all
   * @return the reconciler, to {@link #close} when the operator stops
   */
  public static AnalysisRunReconciler register(Operator operator, Set<String> namespaces, Clock clock,
      List<AddressRange> metricAllow, List<AddressRange> metricDeny) {
    AnalysisRunReconciler reconciler = new AnalysisRunReconciler(clock, metricAllow, metricDeny);
    operator.register(reconciler, c -> {
      c.withItemStore(CachedObjects.store());
      if (!namespaces.isEmpty()) c.settingNamespaces(namespaces);
    });
    return reconciler;
  }

  /** Stops the measurement threads; measurements still running end unheard (the next leader takes them again). */
  @Override
  public void close() {
    measurements.close();
  }

  @Override
  public List<EventSource<?, AnalysisRun>> prepareEventSources(EventSourceContext<AnalysisRun> context) {
    // only the Jobs job metrics created: the controller never caches the cluster's other Jobs
    jobs = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Job.class, AnalysisRun.class)
            .withLabelSelector(AnalysisLabels.ANALYSIS_RUN)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(AnalysisRun.class, false))
            .withItemStore(CachedObjects.store())
            .build(),
        context);
    var client = context.getClient();
    newTaker = () -> new MeasurementTaker(MeasurementProviders.standard(HttpClients.shared(),
        new ProviderAddressPolicy(metricAllow, metricDeny, apiServer(client)), new InformerJobStore(client, jobs)), clock);
    return List.of(jobs, measured);
  }

  /**
   * The providers, made for the first measurement: a controller whose rollouts have no analysis
   * never loads the HTTP client of the metric providers (OkHttp with Kotlin's library: some 130
   * classes, about 2 MB of Metaspace).
   */
  private MeasurementTaker taker() {
    MeasurementTaker made = taker;
    if (made == null) {
      synchronized (this) {
        made = taker;
        if (made == null) {
          made = newTaker.get();
          taker = made;
        }
      }
    }
    return made;
  }

  /** Every address of the API server this controller talks to, with its port. */
  private static Set<InetSocketAddress> apiServer(KubernetesClient client) {
    URL master = client.getMasterUrl();
    int port = master.getPort() > 0 ? master.getPort() : master.getDefaultPort();
    try {
      return Arrays.stream(InetAddress.getAllByName(master.getHost())).map(a -> new InetSocketAddress(a, port)).collect(Collectors.toSet());
    } catch (UnknownHostException e) {
      log.warn("cannot resolve the API server's host {}: metrics are not kept from it by address", master.getHost());
      return Set.of();
    }
  }

  @Override
  public UpdateControl<AnalysisRun> reconcile(AnalysisRun run, Context<AnalysisRun> context) {
    Optional<String> unreadable = UnreadableResources.problem(run);
    if (unreadable.isPresent()) {
      UnreadableResources.report(run, unreadable.get(), context.getClient(), log, clock.instant());
      return UpdateControl.noUpdate();
    }
    AnalysisRunStatus status = run.getStatus();
    if (status != null && AnalysisPhase.parse(status.phase()).completed()) {
      return UpdateControl.noUpdate();
    }
    var client = context.getClient();
    var meta = run.getMetadata();
    var secrets = new KubernetesSecretLookup(client, meta.getNamespace());
    var ref = new RunReference(meta.getNamespace(), meta.getName(), meta.getUid(), run.getApiVersion(), run.getKind());

    PreparedRun prepared;
    try {
      prepared = preparer.prepare(run.getSpec(), RolloutArgumentContext.of(run, client), secrets);
    } catch (AnalysisSpecException e) {
      return finish(run, context, planner.invalid(status, e.getMessage(), clock.instant()), Redactor.none());
    }

    List<DueMeasurement> due = planner.due(prepared.settings(), prepared.terminate(), status, clock.instant());
    Map<String, Measurement> taken = new LinkedHashMap<>();
    Instant startedAt = AnalysisRunPlanner.startedAt(status, clock.instant());
    Set<String> taking = new HashSet<>();
    List<MeasurementQueue.Key> used = new ArrayList<>();
    Duration retryIn = null;
    for (DueMeasurement d : due) {
      if (!MeasurementProviders.waitsOnARemoteServer(prepared.metric(d.metric()).metric())) {
        taken.put(d.metric(), taker().take(d, startedAt, prepared, ref, secrets));
        continue;
      }
      var key = new MeasurementQueue.Key(ref.namespace(), ref.name(), ref.uid(), d.metric(), d.number());
      var outcome = measurements.poll(key, () -> taker().take(d, startedAt, prepared, ref, secrets));
      if (outcome.isEmpty()) {
        taking.add(d.metric());
      } else if (outcome.get() instanceof MeasurementQueue.Outcome.Taken t) {
        taken.put(d.metric(), t.measurement());
        used.add(key);
      } else if (outcome.get() instanceof MeasurementQueue.Outcome.Retry r) {
        log.info("{}/{} metric \"{}\": {}; measuring again in {}s", meta.getNamespace(), meta.getName(), d.metric(),
            prepared.redactor().redact(r.reason()), r.delay().toSeconds());
        taking.add(d.metric());
        retryIn = retryIn == null || r.delay().compareTo(retryIn) < 0 ? r.delay() : retryIn;
      }
    }
    RunAssessment assessment = planner.assess(prepared.settings(), prepared.terminate(), status, taken, taking, clock.instant());
    for (DueMeasurement stopped : assessment.terminated()) {
      String problem = taker().terminate(stopped, prepared, ref, secrets);
      if (problem != null) {
        log.warn("{}/{} {}", meta.getNamespace(), meta.getName(), problem);
      }
    }
    UpdateControl<AnalysisRun> control = finish(run, context, assessment, prepared.redactor());
    // only now is what was taken in status: a failed write above leaves it here for the retry
    measurements.consumed(used);
    if (AnalysisPhase.parse(assessment.status().phase()).completed()) {
      measurements.forgetRun(ref.uid());
    }
    if (retryIn != null) {
      long retryMillis = retryIn.toMillis();
      long planned = control.getScheduleDelay().orElse(Long.MAX_VALUE);
      control = UpdateControl.<AnalysisRun>noUpdate().rescheduleAfter(Math.min(planned, retryMillis));
    }
    return control;
  }

  private UpdateControl<AnalysisRun> finish(AnalysisRun run, Context<AnalysisRun> context, RunAssessment assessment, Redactor redactor) {
    AnalysisRunStatus planned = run.getStatus();
    if (!Objects.equals(assessment.status(), planned)) {
      StatusWrites.replace(run, context, planned, assessment.status());
    }
    Instant now = clock.instant();
    new KubernetesEvents(context.getClient(), log).record(run, assessment.events().stream()
        .map(e -> new KubernetesEvents.Transition(KubernetesEvents.Type.valueOf(e.type().name()), e.reason(), redactor.redact(e.message())))
        .toList(), now);

    UpdateControl<AnalysisRun> control = UpdateControl.noUpdate();
    return assessment.nextLook()
        .map(at -> control.rescheduleAfter(WakeUp.millisUntil(at, clock.instant())))
        .orElse(control);
  }
}
