package dev.sluice.e2e.bluegreen;

import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.AnalysisRunReference;
import dev.sluice.api.v1alpha1.RolloutStatus.BlueGreenStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What a user watching a blue-green rollout sees, recorded with watches: the pod-template-hash each
 * of the two Services selects, each ReplicaSet's desired, ready and available pods, and the
 * Rollout's status. Tests wait on the watched state, so what they assert is what the watches saw.
 *
 * <p>Changes are ordered by resourceVersion, not by when the watches delivered them: this cluster
 * has a single etcd, whose revision orders every write across all kinds (Kubernetes does not
 * promise that in general, so this ordering is a test-only device for exactly this cluster).
 */
final class BlueGreenTimeline implements AutoCloseable {
  enum Kind { ACTIVE, PREVIEW, PODS, STATUS, NOTE }

  /** A ReplicaSet's spec.replicas and its ready and available pods. */
  record Pods(int spec, int ready, int available) {
    static final Pods NONE = new Pods(0, 0, 0);

    @Override
    public String toString() {
      return "spec " + spec + ", ready " + ready + ", available " + available;
    }
  }

  /**
   * One change. {@code hash}: the hash a Service selects (ACTIVE, PREVIEW) or the ReplicaSet's
   * (PODS); {@code note}: a NOTE's text.
   */
  record Change(long revision, Instant seen, Kind kind, String hash, Pods pods, RolloutStatus status, String note) {}

  /** The latest of everything watched. */
  record State(String active, String preview, Map<String, Pods> pods, RolloutStatus status) {
    Pods pods(String hash) {
      return hash == null ? Pods.NONE : pods.getOrDefault(hash, Pods.NONE);
    }

    String phase() {
      return status == null ? null : status.phase();
    }

    boolean aborted() {
      return status != null && Boolean.TRUE.equals(status.abort());
    }

    String activeSelector() {
      return BlueGreenTimeline.activeSelector(status);
    }

    String previewSelector() {
      return BlueGreenTimeline.previewSelector(status);
    }

    AnalysisRunReference preRun() {
      return BlueGreenTimeline.preRun(status);
    }

    AnalysisRunReference postRun() {
      return BlueGreenTimeline.postRun(status);
    }
  }

  /** status.blueGreen.activeSelector; null when absent. */
  static String activeSelector(RolloutStatus status) {
    return blueGreen(status).map(BlueGreenStatus::activeSelector).orElse(null);
  }

  /** status.blueGreen.previewSelector; null when absent. */
  static String previewSelector(RolloutStatus status) {
    return blueGreen(status).map(BlueGreenStatus::previewSelector).orElse(null);
  }

  /** status.blueGreen.prePromotionAnalysisRunStatus; null when absent. */
  static AnalysisRunReference preRun(RolloutStatus status) {
    return blueGreen(status).map(BlueGreenStatus::prePromotionAnalysisRunStatus).orElse(null);
  }

  /** status.blueGreen.postPromotionAnalysisRunStatus; null when absent. */
  static AnalysisRunReference postRun(RolloutStatus status) {
    return blueGreen(status).map(BlueGreenStatus::postPromotionAnalysisRunStatus).orElse(null);
  }

  private static Optional<BlueGreenStatus> blueGreen(RolloutStatus status) {
    return Optional.ofNullable(status).map(RolloutStatus::blueGreen);
  }

  /** The status of an AnalysisRun reference, null when absent. */
  static String runStatus(AnalysisRunReference run) {
    return run == null ? null : run.status();
  }

  private final KubernetesClient k8s;
  private final String namespace;
  private final String rollout;
  private final Instant start = Instant.now();
  private final List<Watch> watches = new ArrayList<>();
  private final List<Change> changes = new ArrayList<>();
  /** The latest resourceVersion delivered per object ("Kind/name"), to tell when the watches have caught up. */
  private final Map<String, Long> delivered = new HashMap<>();
  private final Map<String, Pods> pods = new HashMap<>();
  private final Map<Kind, String> selected = new HashMap<>();
  private RolloutStatus status;
  private String lastStatusLine;

  BlueGreenTimeline(KubernetesClient k8s, String namespace, String rollout) {
    this.k8s = k8s;
    this.namespace = namespace;
    this.rollout = rollout;
    watches.add(k8s.services().inNamespace(namespace).withName(BlueGreenRollouts.activeService(rollout))
        .watch(watcher((Service s) -> service(Kind.ACTIVE, s))));
    watches.add(k8s.services().inNamespace(namespace).withName(BlueGreenRollouts.previewService(rollout))
        .watch(watcher((Service s) -> service(Kind.PREVIEW, s))));
    watches.add(k8s.apps().replicaSets().inNamespace(namespace).withLabel("app", rollout).watch(watcher(this::replicaSet)));
    watches.add(k8s.resources(Rollout.class).inNamespace(namespace).withName(rollout).watch(watcher(this::rollout)));
  }

  private synchronized void service(Kind kind, Service service) {
    delivered("Service", service);
    var selector = service.getSpec().getSelector();
    String hash = selector == null ? null : selector.get(SluiceLabels.POD_TEMPLATE_HASH);
    if (!selected.containsKey(kind) || !Objects.equals(selected.get(kind), hash)) {
      selected.put(kind, hash);
      add(service, kind, hash, null, null, null);
    }
  }

  private synchronized void replicaSet(ReplicaSet rs) {
    delivered("ReplicaSet", rs);
    String hash = rs.getMetadata().getLabels().get(SluiceLabels.POD_TEMPLATE_HASH);
    var st = rs.getStatus();
    Pods now = new Pods(orZero(rs.getSpec().getReplicas()), st == null ? 0 : orZero(st.getReadyReplicas()),
        st == null ? 0 : orZero(st.getAvailableReplicas()));
    if (!now.equals(pods.put(hash, now))) {
      add(rs, Kind.PODS, hash, now, null, null);
    }
  }

  private synchronized void rollout(Rollout r) {
    delivered("Rollout", r);
    status = r.getStatus();
    String line = describe(status, Map.of());
    if (!line.equals(lastStatusLine)) {
      lastStatusLine = line;
      add(r, Kind.STATUS, null, null, status, null);
    }
  }

  private static int orZero(Integer n) {
    return n == null ? 0 : n;
  }

  private void add(HasMetadata object, Kind kind, String hash, Pods p, RolloutStatus s, String note) {
    changes.add(new Change(Long.parseLong(object.getMetadata().getResourceVersion()), Instant.now(), kind, hash, p, s, note));
  }

  private synchronized void delivered(String kind, HasMetadata object) {
    delivered.merge(kind + "/" + object.getMetadata().getName(), Long.parseLong(object.getMetadata().getResourceVersion()), Math::max);
  }

  private synchronized boolean hasSeen(String kind, HasMetadata object) {
    return object == null
        || delivered.getOrDefault(kind + "/" + object.getMetadata().getName(), -1L) >= Long.parseLong(object.getMetadata().getResourceVersion());
  }

  /**
   * Waits until the watches have delivered the current version of every watched object, so every
   * change written before now is in the timeline.
   */
  BlueGreenTimeline awaitCaughtUp() {
    Awaitility.await(rollout + ": the timeline's watches catch up").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> hasSeen("Service", k8s.services().inNamespace(namespace).withName(BlueGreenRollouts.activeService(rollout)).get())
            && hasSeen("Service", k8s.services().inNamespace(namespace).withName(BlueGreenRollouts.previewService(rollout)).get())
            && hasSeen("Rollout", k8s.resources(Rollout.class).inNamespace(namespace).withName(rollout).get())
            && k8s.apps().replicaSets().inNamespace(namespace).withLabel("app", rollout).list().getItems().stream()
                .allMatch(rs -> hasSeen("ReplicaSet", rs)));
    return this;
  }

  synchronized State state() {
    return new State(selected.get(Kind.ACTIVE), selected.get(Kind.PREVIEW), Map.copyOf(pods), status);
  }

  /**
   * Waits (at most {@code seconds}) until the watched state satisfies {@code condition}; then notes
   * {@code what} in the timeline with the state, prints it, and returns the state.
   */
  State await(int seconds, String what, Predicate<State> condition) {
    try {
      Awaitility.await(rollout + ": " + what).atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(50))
          .until(() -> condition.test(state()));
    } catch (ConditionTimeoutException e) {
      note("TIMED OUT waiting for: " + what);
      print();
      throw e;
    }
    return note(what);
  }

  /** Notes {@code what} at this point of the timeline, with the state the watches saw, and prints it. */
  synchronized State note(String what) {
    State s = state();
    long revision = delivered.values().stream().mapToLong(Long::longValue).max().orElse(0);
    Map<String, String> names = names();
    String text = what + " | " + describe(s, names);
    changes.add(new Change(revision, Instant.now(), Kind.NOTE, null, null, null, text));
    System.out.printf("[%s] t+%6.2fs == %s%n", rollout, seconds(Instant.now()), text);
    return s;
  }

  /** Every change so far, in the order the cluster wrote them (a note after what was seen when it was taken). */
  synchronized List<Change> changes() {
    return changes.stream().sorted(Comparator.comparingLong(Change::revision)).toList();
  }

  List<Change> changes(Kind kind) {
    return changes().stream().filter(c -> c.kind() == kind).toList();
  }

  /** The hashes a Service selected, in order, consecutive repeats and "no hash yet" left out. */
  List<String> selections(Kind service) {
    return selectionChanges(service).stream().map(Change::hash).toList();
  }

  Optional<Change> first(Predicate<Change> match) {
    return changes().stream().filter(match).findFirst();
  }

  Optional<Change> firstAfter(long revision, Predicate<Change> match) {
    return changes().stream().filter(c -> c.revision() > revision && match.test(c)).findFirst();
  }

  /** The first status written after {@code revision} that matches. */
  Optional<Change> firstStatusAfter(long revision, Predicate<RolloutStatus> match) {
    return firstAfter(revision, c -> c.kind() == Kind.STATUS && c.status() != null && match.test(c.status()));
  }

  Optional<Change> firstStatus(Predicate<RolloutStatus> match) {
    return firstStatusAfter(Long.MIN_VALUE, match);
  }

  /** The ReplicaSet {@code hash}'s pods as last written before {@code revision}. */
  Pods podsBefore(long revision, String hash) {
    Pods p = Pods.NONE;
    for (Change c : changes()) {
      if (c.revision() >= revision) break;
      if (c.kind() == Kind.PODS && hash.equals(c.hash())) p = c.pods();
    }
    return p;
  }

  /**
   * Each hash the active Service moved to, with that ReplicaSet's pods just before the move: what
   * production had behind it at that moment.
   */
  List<String> activeMoves() {
    Map<String, String> names = names();
    return selectionChanges(Kind.ACTIVE).stream()
        .map(c -> named(names, c.hash()) + " (" + podsBefore(c.revision(), c.hash()) + ")").toList();
  }

  /**
   * The moves of a Service's selection from one hash to another: {@link #selectionChanges} without
   * the first, the pin of the first deploy, which comes with that ReplicaSet's first available pod
   * (nothing was behind the Service before it).
   */
  List<Change> switches(Kind service) {
    List<Change> moves = selectionChanges(service);
    return moves.isEmpty() ? moves : moves.subList(1, moves.size());
  }

  /** The changes of a Service's selection to a hash (not repeats, not "no hash"). */
  List<Change> selectionChanges(Kind service) {
    List<Change> moves = new ArrayList<>();
    String last = null;
    for (Change c : changes(service)) {
      if (c.hash() != null && !c.hash().equals(last)) moves.add(c);
      if (c.hash() != null) last = c.hash();
    }
    return moves;
  }

  /** v1, v2, ... for the hashes, in the order their ReplicaSets (or selectors) first appeared. */
  private synchronized Map<String, String> names() {
    Map<String, String> names = new LinkedHashMap<>();
    for (Change c : changes()) {
      if (c.hash() != null && !names.containsKey(c.hash())) names.put(c.hash(), "v" + (names.size() + 1));
    }
    return names;
  }

  private double seconds(Instant at) {
    return Duration.between(start, at).toMillis() / 1000.0;
  }

  /** Prints the whole timeline, one line per change, for the notes. */
  void print() {
    Map<String, String> names = names();
    System.out.printf("[%s] ---- timeline (v1, v2: the ReplicaSets in order of appearance; %s) ----%n", rollout,
        names.entrySet().stream().map(e -> e.getValue() + "=" + e.getKey()).toList());
    for (Change c : changes()) {
      String what = switch (c.kind()) {
        case ACTIVE -> "active Service selects " + (c.hash() == null ? "(no hash)" : named(names, c.hash()));
        case PREVIEW -> "preview Service selects " + (c.hash() == null ? "(no hash)" : named(names, c.hash()));
        case PODS -> named(names, c.hash()) + " ReplicaSet: " + c.pods();
        case STATUS -> "rollout: " + describe(c.status(), names);
        case NOTE -> "== " + c.note();
      };
      System.out.printf("[%s] t+%6.2fs rv=%d %s%n", rollout, seconds(c.seen()), c.revision(), what);
    }
    printEvents();
  }

  private static String describe(RolloutStatus s, Map<String, String> names) {
    if (s == null) return "no status yet";
    return "phase=%s pause=%s abort=%s stable=%s current=%s activeSelector=%s previewSelector=%s pre=%s post=%s checkpoint=%s message=%s"
        .formatted(s.phase(), s.pauseConditions() == null ? null : s.pauseConditions().stream().map(p -> p.reason()).toList(), s.abort(),
            named(names, s.stableRS()), named(names, s.currentPodHash()), named(names, activeSelector(s)),
            named(names, previewSelector(s)), run(preRun(s)), run(postRun(s)),
            blueGreen(s).map(BlueGreenStatus::scaleUpPreviewCheckPoint).orElse(null), s.message());
  }

  private static String describe(State s, Map<String, String> names) {
    StringBuilder line = new StringBuilder("active->" + named(names, s.active())
        + " preview->" + named(names, s.preview()));
    s.pods().entrySet().stream().sorted(Comparator.comparing(e -> named(names, e.getKey())))
        .forEach(e -> line.append("; ").append(named(names, e.getKey())).append(" RS ").append(e.getValue()));
    return line + "; phase=" + s.phase();
  }

  private static String named(Map<String, String> names, String hash) {
    return hash == null ? null : names.getOrDefault(hash, hash);
  }

  private static String run(AnalysisRunReference ref) {
    return ref == null ? null : ref.name() + ":" + ref.status();
  }

  /** The rollout's events as {@code Reason: message}, in the order they happened. */
  List<String> events() {
    return k8s.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> "Rollout".equals(e.getInvolvedObject().getKind()) && rollout.equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing((Event e) -> Objects.toString(e.getEventTime() == null ? null : e.getEventTime().getTime(), ""))
            .thenComparing(e -> Objects.toString(e.getLastTimestamp(), "")))
        .map(e -> e.getReason() + ": " + e.getMessage())
        .toList();
  }

  private void printEvents() {
    events().forEach(e -> System.out.printf("[%s] event %s%n", rollout, e));
  }

  private static <T> Watcher<T> watcher(Consumer<T> onChange) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        if (action == Action.ADDED || action == Action.MODIFIED) {
          onChange.accept(resource);
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        // closed by the test; a broken watch shows up as missing changes in the assertions
      }
    };
  }

  @Override
  public void close() {
    watches.forEach(Watch::close);
  }
}
