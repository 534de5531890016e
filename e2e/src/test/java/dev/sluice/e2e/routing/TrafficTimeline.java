package dev.sluice.e2e.routing;

import static org.awaitility.Awaitility.await;

import dev.sluice.api.SluiceLabels;
import dev.sluice.e2e.routing.RouterFixture.Weights;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What a user would chart during a rollout, recorded with watches: the canary weight on the route
 * object, each ReplicaSet's available pods and spec.replicas, and pods starting to go away.
 *
 * <p>Events are ordered by resourceVersion, not by when the watches delivered them: this cluster has
 * a single etcd, whose revision orders every write across all kinds (Kubernetes does not promise
 * that in general, so this ordering is a test-only device for exactly this cluster).
 */
final class TrafficTimeline implements AutoCloseable {
  enum Kind { WEIGHT, AVAILABLE, SCALED, POD_GOING }

  /** @param hash the ReplicaSet/pod pod-template-hash (null for weights) */
  record Event(long revision, Instant seen, Kind kind, String hash, int value) {}

  private final String label;
  private final KubernetesClient k8s;
  private final String namespace;
  private final RouterFixture router;
  /** The latest resourceVersion delivered per object ("Kind/name"), to tell when the watches have caught up. */
  private final Map<String, Long> delivered = new HashMap<>();
  private final Instant start = Instant.now();
  private final List<Event> events = new ArrayList<>();
  private final List<Watch> watches = new ArrayList<>();
  private final Map<String, Integer> lastAvailable = new HashMap<>();
  private final Map<String, Integer> lastSpec = new HashMap<>();
  private final Set<String> podsGoing = new HashSet<>();
  private Integer lastWeight;

  TrafficTimeline(KubernetesClient k8s, String namespace, RouterFixture router) {
    this.label = router.name();
    this.k8s = k8s;
    this.namespace = namespace;
    this.router = router;
    watches.add(k8s.genericKubernetesResources(router.apiVersion(), router.kind()).inNamespace(namespace)
        .watch(watcher((GenericKubernetesResource r) -> {
          if (router.objectName().equals(r.getMetadata().getName())) {
            route(r, router.weights().apply(RouterFixture.tree(r)));
          }
        })));
    watches.add(k8s.apps().replicaSets().inNamespace(namespace).withLabel("app", router.name())
        .watch(watcher(this::replicaSet)));
    watches.add(k8s.pods().inNamespace(namespace).withLabel("app", router.name()).watch(watcher(this::pod)));
  }

  private synchronized void route(GenericKubernetesResource route, Weights weights) {
    delivered("Route", route);
    if (weights.canary() != null && !weights.canary().equals(lastWeight)) {
      lastWeight = weights.canary();
      add(route.getMetadata().getResourceVersion(), Kind.WEIGHT, null, weights.canary());
    }
  }

  private synchronized void delivered(String kind, HasMetadata object) {
    delivered.merge(kind + "/" + object.getMetadata().getName(), Long.parseLong(object.getMetadata().getResourceVersion()), Math::max);
  }

  private synchronized boolean hasSeen(String kind, HasMetadata object) {
    return delivered.getOrDefault(kind + "/" + object.getMetadata().getName(), -1L)
        >= Long.parseLong(object.getMetadata().getResourceVersion());
  }

  /**
   * Waits until the watches have delivered the current version of every watched object, so every
   * event written before now is in the timeline (each watch delivers in revision order). Call it
   * before reading the timeline: waiting on the API server says nothing about what a watch has
   * delivered yet.
   */
  TrafficTimeline awaitCaughtUp() {
    await("the timeline's watches catch up").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      GenericKubernetesResource route = k8s.genericKubernetesResources(router.apiVersion(), router.kind())
          .inNamespace(namespace).withName(router.objectName()).get();
      return (route == null || hasSeen("Route", route))
          && k8s.apps().replicaSets().inNamespace(namespace).withLabel("app", router.name()).list().getItems().stream()
              .allMatch(rs -> hasSeen("ReplicaSet", rs))
          && k8s.pods().inNamespace(namespace).withLabel("app", router.name()).list().getItems().stream()
              .allMatch(pod -> hasSeen("Pod", pod));
    });
    return this;
  }

  private synchronized void replicaSet(ReplicaSet rs) {
    delivered("ReplicaSet", rs);
    String hash = rs.getMetadata().getLabels().get(SluiceLabels.POD_TEMPLATE_HASH);
    int available = rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null ? 0 : rs.getStatus().getAvailableReplicas();
    int spec = rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
    if (!Objects.equals(lastSpec.put(hash, spec), spec)) {
      add(rs.getMetadata().getResourceVersion(), Kind.SCALED, hash, spec);
    }
    if (!Objects.equals(lastAvailable.put(hash, available), available)) {
      add(rs.getMetadata().getResourceVersion(), Kind.AVAILABLE, hash, available);
    }
  }

  private synchronized void pod(Pod pod) {
    delivered("Pod", pod);
    if (pod.getMetadata().getDeletionTimestamp() != null && podsGoing.add(pod.getMetadata().getName())) {
      add(pod.getMetadata().getResourceVersion(), Kind.POD_GOING,
          pod.getMetadata().getLabels().get(SluiceLabels.POD_TEMPLATE_HASH), 1);
    }
  }

  private void add(String resourceVersion, Kind kind, String hash, int value) {
    events.add(new Event(Long.parseLong(resourceVersion), Instant.now(), kind, hash, value));
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
        // closed by the test; a broken watch shows up as missing events in the assertions
      }
    };
  }

  /** Every event so far, in the order the cluster wrote them. */
  synchronized List<Event> events() {
    return events.stream().sorted(Comparator.comparingLong(Event::revision)).toList();
  }

  /** The first event after {@code revision} that matches. */
  Optional<Event> firstAfter(long revision, Predicate<Event> match) {
    return events().stream().filter(e -> e.revision() > revision && match.test(e)).findFirst();
  }

  /** The latest value of {@code kind} for {@code hash} written before {@code revision}; 0 if none. */
  int valueBefore(long revision, Kind kind, String hash) {
    int value = 0;
    for (Event e : events()) {
      if (e.revision() >= revision) {
        break;
      }
      if (e.kind() == kind && Objects.equals(e.hash(), hash)) {
        value = e.value();
      }
    }
    return value;
  }

  /** The weight changes (after {@code revision}), each with the canary's available pods when it was written. */
  List<Event> weightChangesAfter(long revision) {
    return events().stream().filter(e -> e.kind() == Kind.WEIGHT && e.revision() > revision).toList();
  }

  synchronized Integer lastWeight() {
    return lastWeight;
  }

  /** Prints the timeline, one line per event, for the notes. */
  void print(Map<String, String> hashNames) {
    for (Event e : events()) {
      String who = e.hash() == null ? "" : hashNames.getOrDefault(e.hash(), e.hash());
      String what = switch (e.kind()) {
        case WEIGHT -> "route object: canary weight " + e.value();
        case AVAILABLE -> who + " ReplicaSet: " + e.value() + " available";
        case SCALED -> who + " ReplicaSet: spec.replicas " + e.value();
        case POD_GOING -> who + " pod: terminating";
      };
      System.out.printf("[%s] t+%6.2fs rv=%d %s%n", label, Duration.between(start, e.seen()).toMillis() / 1000.0,
          e.revision(), what);
    }
  }

  @Override
  public void close() {
    watches.forEach(Watch::close);
  }
}
