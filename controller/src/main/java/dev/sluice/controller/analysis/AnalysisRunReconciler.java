package dev.sluice.controller.analysis;

import dev.sluice.controller.KubernetesEvents;
import dev.sluice.controller.StatusWrites;
import dev.sluice.controller.serialization.UnreadableResources;
import dev.sluice.analysis.AnalysisLabels;
import dev.sluice.analysis.AnalysisPhase;
import dev.sluice.analysis.AnalysisRunPreparer;
import dev.sluice.analysis.AnalysisSpecException;
import dev.sluice.analysis.MeasurementTaker;
import dev.sluice.analysis.PreparedRun;
import dev.sluice.analysis.args.Redactor;
import dev.sluice.analysis.condition.ConditionEvaluator;
import dev.sluice.analysis.provider.HttpClients;
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
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile of an AnalysisRun: prepare the spec (arguments, conditions), ask the planner which
 * measurements are due, take them, let the planner fold them into the status, write the status if
 * it changed, record the transitions, and come back when the next measurement is due. Jobs of job
 * metrics wake the run through an informer; nothing polls.
 *
 * <p>The status is written before the next measurement is scheduled, with optimistic locking on the
 * status it was planned from, so neither a restart nor a stale cache can lose or repeat a measurement.
 */
// a status-only change (terminate is in spec, but Jobs and our own writes are not) must wake the run too
@ControllerConfiguration(name = "analysisrun", generationAwareEventProcessing = false)
@GradualRetry(initialInterval = 250, intervalMultiplier = 2, maxInterval = 10_000, maxAttempts = 1_000_000)
public final class AnalysisRunReconciler implements Reconciler<AnalysisRun> {
  private static final Logger log = LoggerFactory.getLogger("dev.sluice.analysis");

  private final Clock clock;
  private final AnalysisRunPlanner planner = new AnalysisRunPlanner();
  private final AnalysisRunPreparer preparer = new AnalysisRunPreparer(new ConditionEvaluator());
  private InformerEventSource<Job, AnalysisRun> jobs;
  private MeasurementTaker taker;

  public AnalysisRunReconciler(Clock clock) {
    this.clock = clock;
  }

  /**
   * Registers the reconciler with an operator that is not started yet.
   *
   * @param namespaces namespaces to watch; empty = all
   */
  public static void register(Operator operator, Set<String> namespaces, Clock clock) {
    operator.register(new AnalysisRunReconciler(clock), c -> {
      if (!namespaces.isEmpty()) c.settingNamespaces(namespaces);
    });
  }

  @Override
  public List<EventSource<?, AnalysisRun>> prepareEventSources(EventSourceContext<AnalysisRun> context) {
    // only the Jobs job metrics created: the controller never caches the cluster's other Jobs
    jobs = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Job.class, AnalysisRun.class)
            .withLabelSelector(AnalysisLabels.ANALYSIS_RUN)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(AnalysisRun.class, false))
            .build(),
        context);
    taker = new MeasurementTaker(MeasurementProviders.standard(HttpClients.shared(), new InformerJobStore(context.getClient(), jobs)), clock);
    return List.of(jobs);
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
    for (DueMeasurement d : due) {
      taken.put(d.metric(), taker.take(d, prepared, ref, secrets));
    }
    RunAssessment assessment = planner.assess(prepared.settings(), prepared.terminate(), status, taken, clock.instant());
    for (DueMeasurement stopped : assessment.terminated()) {
      String problem = taker.terminate(stopped, prepared, ref, secrets);
      if (problem != null) {
        log.warn("{}/{} {}", meta.getNamespace(), meta.getName(), problem);
      }
    }
    return finish(run, context, assessment, prepared.redactor());
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
        .map(at -> control.rescheduleAfter(Math.max(0, Duration.between(now, at).toMillis())))
        .orElse(control);
  }
}
