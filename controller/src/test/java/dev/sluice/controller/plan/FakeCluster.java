package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.AnalysisRunSpec;
import dev.sluice.api.v1alpha1.AnalysisTemplateSpec;
import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.controller.plan.Observed.ObservedAnalysisRun;
import dev.sluice.controller.plan.Observed.ObservedAnalysisRun.MetricOutcome;
import dev.sluice.controller.plan.Observed.ObservedPod;
import dev.sluice.controller.plan.Observed.ObservedReplicaSet;
import dev.sluice.controller.plan.Observed.ObservedService;
import dev.sluice.controller.plan.Observed.ObservedTemplates;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A stand-in for the API server plus the ReplicaSet controller, for planner tests only (the real
 * thing is exercised by e2e/): it applies a plan's actions to ReplicaSets and pods the way the
 * reconciler and Kubernetes would, instantly, and makes pods ready when the test says so.
 * A scale-down removes unready pods first, as the ReplicaSet controller does. AnalysisRuns are
 * created, terminated and deleted as the reconciler would; their phase is what the test sets (a
 * terminated run that was still measuring ends Successful, as the run reconciler ends it).
 */
final class FakeCluster {
  final RolloutPlanner planner = new RolloutPlanner();
  final SpecBuilder spec = new SpecBuilder();
  final String name = "web";
  RolloutStatus status;
  long generation = 1;
  String desiredHash = "aaa";
  Instant now = Instant.parse("2024-05-01T10:00:00Z");
  final Map<String, FakeReplicaSet> replicaSets = new LinkedHashMap<>();
  final Map<String, Map<String, String>> services = new HashMap<>();
  /** When a new pod of this hash becomes ready, from its creation time; null = never (crash loop). */
  BiFunction<String, Integer, Duration> readyAfter = (hash, n) -> Duration.ZERO;
  final Set<String> crashing = new HashSet<>();
  final List<Plan> history = new ArrayList<>();
  /** The route objects, when the spec has trafficRouting. */
  final FakeRouter router = new FakeRouter();
  /** AnalysisTemplates of the rollout's namespace, and ClusterAnalysisTemplates, by name. */
  final Map<String, AnalysisTemplateSpec> templates = new HashMap<>();
  final Map<String, AnalysisTemplateSpec> clusterTemplates = new HashMap<>();
  /** AnalysisRuns by name, in creation order. */
  final Map<String, FakeRun> runs = new LinkedHashMap<>();
  /** Every pod-role action applied (template role, anti-affinity, pod metadata), in order. */
  final List<Action> roleActions = new ArrayList<>();
  /** Every AnalysisRun action applied, in order. */
  final List<Action> runActions = new ArrayList<>();
  private int podCounter;
  /** The Deployment spec.workloadRef names; null = it does not exist. */
  FakeDeployment deployment;
  /** Every ScaleDeployment applied, in order. */
  final List<Action.ScaleDeployment> deploymentScales = new ArrayList<>();
  /**
   * A scale-down's pods stay counted in their ReplicaSet's status until {@link #podsGone()}, as the
   * real ReplicaSet's status lags its scale-down; false: they go at once.
   */
  boolean podsLeaveLate;
  /** A scale-up changes only spec.replicas; the pods come with {@link #podsCome()}, as the ReplicaSet controller makes them later. */
  boolean podsComeLate;

  static final class FakeDeployment {
    final String name;
    Map<String, String> templateLabels;
    int replicas;

    FakeDeployment(String name, Map<String, String> templateLabels, int replicas) {
      this.name = name;
      this.templateLabels = templateLabels;
      this.replicas = replicas;
    }
  }

  static final class FakeRun {
    final String name;
    final Map<String, String> labels;
    final Map<String, String> annotations;
    final AnalysisRunSpec spec;
    final Instant created;
    String phase;
    String message;
    List<MetricOutcome> metrics = List.of();
    boolean terminate;

    FakeRun(String name, Map<String, String> labels, Map<String, String> annotations, AnalysisRunSpec spec, Instant created) {
      this.name = name;
      this.labels = labels;
      this.annotations = annotations;
      this.spec = spec;
      this.created = created;
    }

    boolean completed() {
      return phase != null && List.of("Successful", "Failed", "Error", "Inconclusive").contains(phase);
    }
  }

  /** Route objects as a traffic router reads and writes them: the weight, the managed routes. */
  static final class FakeRouter {
    /** The canary weight the route objects carry; null when the router cannot tell. */
    Integer weight = 0;
    /** The pods the canary and stable destinations select (Istio subsets), as last written. */
    String canaryHash;
    String stableHash;
    /** The pods the canary's weight went to when it was last set. */
    String weightHash;
    /** Managed routes in place, by name: the step that set them. */
    final Map<String, CanaryStep> managed = new LinkedHashMap<>();
    /** Reading the route objects fails with this (a missing HTTPRoute, say); null = it works. */
    TrafficObservation.Problem brokenRead;
    /** Writing them fails with this; null = it works. */
    TrafficObservation.Problem brokenWrite;
    /** Every weight written, in order. */
    final List<Integer> written = new ArrayList<>();
  }

  static final class FakeReplicaSet {
    final String name;
    final String hash;
    long revision;
    int spec;
    final Instant created;
    Instant scaleDownDeadline;
    /** The ReplicaSet controller's ReplicaFailure message (it cannot create pods), null when none. */
    String replicaFailure;
    final List<FakePod> pods = new ArrayList<>();
    /** Pods a scale-down removed that its status still counts ({@link #podsLeaveLate}). */
    final List<FakePod> leaving = new ArrayList<>();
    /** Its pod template's labels and annotations, the role metadata recorded on it, its injected anti-affinity. */
    final Map<String, String> templateLabels = new HashMap<>();
    final Map<String, String> templateAnnotations = new HashMap<>();
    RoleMetadata role = RoleMetadata.NONE;
    Optional<AntiAffinityTerm> antiAffinity = Optional.empty();

    FakeReplicaSet(String name, String hash, long revision, Instant created) {
      this.name = name;
      this.hash = hash;
      this.revision = revision;
      this.created = created;
    }
  }

  static final class FakePod {
    final String name;
    final Instant created;
    final Instant readyAt;
    /** Copied from the ReplicaSet's template when the pod is created, then changed only in place. */
    final Map<String, String> labels = new HashMap<>();
    final Map<String, String> annotations = new HashMap<>();

    FakePod(String name, Instant created, Instant readyAt) {
      this.name = name;
      this.created = created;
      this.readyAt = readyAt;
    }

    boolean ready(Instant now) {
      return readyAt != null && !now.isBefore(readyAt);
    }
  }

  Rollout rollout() {
    Rollout r = new Rollout();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").withGeneration(generation).build());
    r.setSpec(spec.build());
    r.setStatus(status);
    return r;
  }

  Observed observe() {
    List<ObservedReplicaSet> sets = new ArrayList<>();
    List<ObservedPod> pods = new ArrayList<>();
    for (FakeReplicaSet rs : replicaSets.values()) {
      int ready = (int) java.util.stream.Stream.concat(rs.pods.stream(), rs.leaving.stream()).filter(p -> p.ready(now)).count();
      sets.add(new ObservedReplicaSet(rs.name, rs.hash, rs.revision, rs.spec, rs.pods.size() + rs.leaving.size(), ready, ready, rs.created,
          rs.scaleDownDeadline, rs.replicaFailure,
          new Observed.ObservedTemplate(rs.templateLabels, rs.templateAnnotations, rs.role, rs.antiAffinity)));
      rs.pods.forEach(p -> pods.add(new ObservedPod(p.name, rs.hash, p.created, p.ready(now), false, p.labels, p.annotations)));
    }
    Map<String, ObservedService> svc = new HashMap<>();
    services.forEach((n, sel) -> svc.put(n, new ObservedService(n, Map.copyOf(sel))));
    List<ObservedAnalysisRun> observedRuns = runs.values().stream()
        .map(r -> new ObservedAnalysisRun(r.name, r.labels, r.phase, r.message, r.metrics, r.terminate, false, r.created))
        .toList();
    Map<String, AnalysisTemplateSpec> referenced = new HashMap<>(templates);
    return new Observed(rollout(), desiredHash, sets, pods, svc, traffic(), observedRuns,
        new ObservedTemplates(referenced, clusterTemplates),
        deployment == null || spec.workloadRef == null ? Optional.empty()
            : Optional.of(new Observed.ObservedDeployment(deployment.name, deployment.templateLabels, deployment.replicas)));
  }

  private Optional<TrafficObservation> traffic() {
    if (spec.trafficRouting == null) {
      return Optional.empty();
    }
    if (router.brokenRead != null) {
      var p = router.brokenRead;
      return Optional.of(TrafficObservation.failed(p.reason(), p.message(), p.retryable()));
    }
    return Optional.of(TrafficObservation.inPlace(Optional.ofNullable(router.weight)));
  }

  Plan plan() {
    return planner.plan(observe(), now);
  }

  /**
   * One reconcile, as the reconciler does it: plan, apply the actions, store the status; when a
   * route object cannot be written, the actions stop there and the rollout is planned again with
   * that problem.
   */
  Plan reconcile() {
    Observed observed = observe();
    return applyOrReplan(observed, planner.plan(observed, now));
  }

  /** Applies {@code plan} (made from {@code observed}) as the reconciler would; returns the plan whose status was stored. */
  Plan applyOrReplan(Observed observed, Plan plan) {
    Optional<RefusedCreate> refusal = refusedCreate(plan);
    if (refusal.isPresent()) {
      Plan blocked = planner.refused(observed, refusal.get(), now);
      history.add(blocked);
      status = blocked.status();
      return blocked;
    }
    if (!applyActions(plan)) {
      var p = router.brokenWrite;
      Plan blocked = planner.plan(observed.withTraffic(TrafficObservation.failed(p.reason(), p.message(), p.retryable())), now);
      history.add(blocked);
      status = blocked.status();
      return blocked;
    }
    history.add(plan);
    status = plan.status();
    return plan;
  }

  void apply(Plan plan) {
    history.add(plan);
    applyActions(plan);
    status = plan.status();
  }

  /** What the API server says to a ReplicaSet create (as the reconciler's applier reports it); null: it is created. */
  java.util.function.Function<Action.CreateReplicaSet, RefusedCreate> apiServer = c -> null;

  /** The first create the API server refuses; the actions before it are applied, as the applier would. */
  private Optional<RefusedCreate> refusedCreate(Plan plan) {
    List<Action> applied = new ArrayList<>();
    for (Action a : plan.actions()) {
      if (a instanceof Action.CreateReplicaSet c && apiServer.apply(c) != null) {
        applyActions(new Plan(plan.status(), applied, plan.events(), plan.requeueAfter()));
        return Optional.of(apiServer.apply(c));
      }
      applied.add(a);
    }
    return Optional.empty();
  }

  /** @return false when a traffic action failed (and the rest was not applied) */
  private boolean applyActions(Plan plan) {
    for (Action a : plan.actions()) {
      if (a instanceof Action.TrafficAction t) {
        if (router.brokenWrite != null) {
          return false;
        }
        route(t);
        continue;
      }
      if (a instanceof Action.CreateReplicaSet c) {
        FakeReplicaSet rs = new FakeReplicaSet(c.name(), c.hash(), c.revision(), now);
        if (spec.template == null) { // workloadRef: the Deployment's template
          rs.templateLabels.putAll(deployment.templateLabels);
        } else {
          var meta = spec.template.getMetadata();
          if (meta.getLabels() != null) rs.templateLabels.putAll(meta.getLabels());
          if (meta.getAnnotations() != null) rs.templateAnnotations.putAll(meta.getAnnotations());
        }
        rs.templateLabels.putAll(c.role().labels());
        rs.templateAnnotations.putAll(c.role().annotations());
        rs.templateLabels.put(dev.sluice.api.SluiceLabels.POD_TEMPLATE_HASH, c.hash());
        rs.role = c.role();
        rs.antiAffinity = c.antiAffinity();
        replicaSets.put(c.hash(), rs);
        scale(rs, c.replicas());
      } else if (a instanceof Action.SetTemplateRole r) {
        roleActions.add(a);
        FakeReplicaSet rs = byName(r.name());
        change(rs.templateLabels, rs.templateAnnotations, r.change());
        rs.role = r.role();
      } else if (a instanceof Action.SetTemplateAntiAffinity t) {
        roleActions.add(a);
        byName(t.name()).antiAffinity = t.term();
      } else if (a instanceof Action.SetPodMetadata m) {
        roleActions.add(a);
        replicaSets.values().stream().flatMap(rs -> rs.pods.stream()).filter(p -> p.name.equals(m.name()))
            .forEach(p -> change(p.labels, p.annotations, m.change()));
      } else if (a instanceof Action.ScaleReplicaSet s) {
        scale(byName(s.name()), s.replicas());
      } else if (a instanceof Action.ScaleDeployment s) {
        deploymentScales.add(s);
        deployment.replicas = s.replicas();
      } else if (a instanceof Action.SetRevision r) {
        byName(r.name()).revision = r.revision();
      } else if (a instanceof Action.DeleteReplicaSet d) {
        replicaSets.values().removeIf(rs -> rs.name.equals(d.name()));
      } else if (a instanceof Action.DeletePod d) {
        for (FakeReplicaSet rs : replicaSets.values()) {
          if (rs.pods.removeIf(p -> p.name.equals(d.name()))) {
            scale(rs, rs.spec);
          }
        }
      } else if (a instanceof Action.PinServiceSelector p) {
        Map<String, String> selector = new HashMap<>(services.get(p.service()));
        selector.put(dev.sluice.api.SluiceLabels.POD_TEMPLATE_HASH, p.hash());
        services.put(p.service(), selector);
      } else if (a instanceof Action.SetScaleDownDeadline d) {
        byName(d.name()).scaleDownDeadline = Instant.parse(d.deadline());
      } else if (a instanceof Action.CreateAnalysisRun r) {
        runActions.add(a);
        runs.putIfAbsent(r.name(), new FakeRun(r.name(), r.labels(), r.annotations(), r.spec(), now));
      } else if (a instanceof Action.TerminateAnalysisRun t) {
        runActions.add(a);
        FakeRun run = runs.get(t.name());
        if (run != null) {
          run.terminate = true;
          if (!run.completed()) {
            run.phase = "Successful";
          }
        }
      } else if (a instanceof Action.DeleteAnalysisRun d) {
        runActions.add(a);
        runs.remove(d.name());
      }
    }
    return true;
  }

  private static void change(Map<String, String> labels, Map<String, String> annotations, MetadataChange change) {
    labels.putAll(change.setLabels());
    labels.keySet().removeAll(change.removeLabels());
    annotations.putAll(change.setAnnotations());
    annotations.keySet().removeAll(change.removeAnnotations());
  }

  private void route(Action.TrafficAction action) {
    router.canaryHash = action.canaryHash();
    router.stableHash = action.stableHash();
    if (action instanceof Action.SetTrafficWeight w) {
      router.weight = w.weight();
      router.weightHash = w.canaryHash();
      router.written.add(w.weight());
    } else if (action instanceof Action.SetHeaderRoute h) {
      setRoute(h.route().name(), h.route().match() == null || h.route().match().isEmpty(),
          new CanaryStep(null, null, null, null, h.route(), null));
    } else if (action instanceof Action.SetMirrorRoute m) {
      setRoute(m.route().name(), m.route().match() == null || m.route().match().isEmpty(),
          new CanaryStep(null, null, null, null, null, m.route()));
    } else if (action instanceof Action.RemoveManagedRoutes) {
      router.managed.clear();
    }
  }

  private void setRoute(String name, boolean remove, CanaryStep step) {
    if (remove) {
      router.managed.remove(name);
    } else {
      router.managed.put(name, step);
    }
  }

  private FakeReplicaSet byName(String n) {
    return replicaSets.values().stream().filter(rs -> rs.name.equals(n)).findFirst().orElseThrow();
  }

  private void scale(FakeReplicaSet rs, int replicas) {
    rs.spec = replicas;
    while (rs.pods.size() > replicas) {
      // unready pods go first, then the youngest
      FakePod victim = rs.pods.stream()
          .max(Comparator.<FakePod, Boolean>comparing(p -> !p.ready(now)).thenComparing(p -> p.created).thenComparing(p -> p.name))
          .orElseThrow();
      rs.pods.remove(victim);
      if (podsLeaveLate) {
        rs.leaving.add(victim);
      }
    }
    if (!podsComeLate) {
      addPods(rs);
    }
  }

  private void addPods(FakeReplicaSet rs) {
    while (rs.pods.size() < rs.spec) {
      int n = podCounter++;
      Duration delay = crashing.contains(rs.hash) ? null : readyAfter.apply(rs.hash, n);
      FakePod pod = new FakePod(rs.name + "-p" + n, now, delay == null ? null : now.plus(delay));
      pod.labels.putAll(rs.templateLabels);
      pod.annotations.putAll(rs.templateAnnotations);
      rs.pods.add(pod);
    }
  }

  /** Reconcile until a plan changes nothing (no actions, same status), at most {@code max} times. */
  Plan settle(int max) {
    Plan last = null;
    for (int i = 0; i < max; i++) {
      RolloutStatus before = status;
      last = reconcile();
      if (last.actions().isEmpty() && last.status().equals(before)) {
        return last;
      }
    }
    return last;
  }

  Plan settle() {
    return settle(50);
  }

  /** The pods scale-ups asked for are made ({@link #podsComeLate}). */
  void podsCome() {
    replicaSets.values().forEach(this::addPods);
  }

  /** The pods scale-downs removed are gone from their ReplicaSets' status ({@link #podsLeaveLate}). */
  void podsGone() {
    replicaSets.values().forEach(rs -> rs.leaving.clear());
  }

  void advance(Duration d) {
    now = now.plus(d);
  }

  // ---- what tests look at ----

  int spec(String hash) {
    FakeReplicaSet rs = replicaSets.get(hash);
    return rs == null ? 0 : rs.spec;
  }

  int available(String hash) {
    FakeReplicaSet rs = replicaSets.get(hash);
    return rs == null ? 0 : (int) rs.pods.stream().filter(p -> p.ready(now)).count();
  }

  int totalPods() {
    return replicaSets.values().stream().mapToInt(rs -> rs.spec).sum();
  }

  int totalAvailable() {
    return replicaSets.values().stream().mapToInt(rs -> available(rs.hash)).sum();
  }

  int canaryWeight() {
    return status.canary().weights().canary().weight();
  }

  FakeRun run(String name) {
    FakeRun run = runs.get(name);
    if (run == null) {
      throw new AssertionError("no AnalysisRun " + name + "; there are " + runs.keySet());
    }
    return run;
  }

  /** What the run reconciler would write: the run's phase and message. */
  void finishRun(String name, String phase, String message) {
    FakeRun run = run(name);
    run.phase = phase;
    run.message = message;
  }

  /**
   * The run reconciler in a simulation: runs start measuring, and end, after random delays, naming
   * {@code metric} when they do not succeed; without {@code mayFail} they never fail.
   */
  void advanceRunsRandomly(java.util.Random random, boolean mayFail, String metric) {
    for (FakeRun run : runs.values()) {
      if (run.completed() || random.nextInt(4) != 0) {
        continue;
      }
      if (run.phase == null) {
        run.phase = "Running";
        continue;
      }
      int dice = random.nextInt(100);
      run.phase = !mayFail ? (dice < 85 ? "Successful" : "Inconclusive")
          : dice < 55 ? "Successful" : dice < 70 ? "Failed" : dice < 80 ? "Error" : "Inconclusive";
      run.message = run.phase.equals("Successful") ? null : "metric \"" + metric + "\" assessed " + run.phase;
    }
  }

  /** The observed rollout with {@code status} instead of its own, as the next reconcile would read it. */
  static Observed withStatus(Observed observed, RolloutStatus status) {
    Rollout r = new Rollout();
    r.setMetadata(observed.rollout().getMetadata());
    r.setSpec(observed.rollout().getSpec());
    r.setStatus(status);
    return observed.withRollout(r);
  }

  /** A user edits spec.template: the reconciler would observe a new pod-template-hash. */
  void newTemplate(String hash) {
    desiredHash = hash;
    generation++;
  }

  /**
   * The Deployment spec.workloadRef names gets a new pod template: the reconciler would observe a
   * new pod-template-hash, while the rollout itself (its generation) is unchanged.
   */
  void newDeploymentTemplate(String hash) {
    desiredHash = hash;
  }

  void editStatus(java.util.function.UnaryOperator<StatusEdit> edit) {
    status = edit.apply(new StatusEdit(status)).build();
  }

  /** What the kubectl plugin writes to status (promote, abort, retry, promote --full). */
  static final class StatusEdit {
    private final RolloutStatus s;
    private List<RolloutStatus.PauseCondition> pauseConditions;
    private Boolean abort;
    private Boolean promoteFull;
    private Integer currentStepIndex;

    StatusEdit(RolloutStatus s) {
      this.currentStepIndex = s.currentStepIndex();
      this.s = s;
      this.pauseConditions = s.pauseConditions();
      this.abort = s.abort();
      this.promoteFull = s.promoteFull();
    }

    StatusEdit clearPauseConditions() {
      pauseConditions = null;
      return this;
    }

    /** A hand edit of every pause condition's start time. */
    StatusEdit pauseStartTime(String time) {
      pauseConditions = pauseConditions.stream().map(p -> new RolloutStatus.PauseCondition(p.reason(), time)).toList();
      return this;
    }

    StatusEdit abort(Boolean a) {
      abort = a;
      return this;
    }

    StatusEdit promoteFull() {
      promoteFull = true;
      return this;
    }

    /** promote while the rollout is not paused (Argo's behaviour): skip the current step. */
    StatusEdit skipStep() {
      currentStepIndex = currentStepIndex + 1;
      return this;
    }

    RolloutStatus build() {
      return new RolloutStatus(s.phase(), s.message(), s.observedGeneration(), s.currentPodHash(), s.stableRS(),
          currentStepIndex, s.currentStepHash(), s.replicas(), s.updatedReplicas(), s.readyReplicas(),
          s.availableReplicas(), s.hpaReplicas(), s.selector(), pauseConditions, s.controllerPause(), abort,
          s.abortedAt(), promoteFull, s.restartedAt(), s.canary(), s.blueGreen(), s.conditions());
    }
  }

  void promote() {
    editStatus(StatusEdit::clearPauseConditions);
    spec.paused = null;
  }

  void promoteFull() {
    editStatus(StatusEdit::promoteFull);
  }

  void abort() {
    editStatus(e -> e.abort(true));
  }

  void retry() {
    editStatus(e -> e.abort(false));
  }
}
