package dev.sluice.e2e.rolloutanalysis;

import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.AnalysisRunReference;
import dev.sluice.e2e.Rollouts;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Watches one rollout the way a person at a terminal would: each time its status changes, one
 * {@code [name]} line with the time since the start, phase, step, weight, the analysis runs and
 * the message. Waiting is Awaitility with a deadline, polling the API server.
 */
final class Timeline {
  private final KubernetesClient k8s;
  private final String namespace;
  private final String name;
  private final Rollouts rollouts;
  private final Instant start = Instant.now();
  private String last;

  Timeline(KubernetesClient k8s, String namespace, String name) {
    this.k8s = k8s;
    this.namespace = namespace;
    this.name = name;
    this.rollouts = new Rollouts(k8s, namespace);
  }

  /** Waits (at most {@code seconds}) until the status satisfies {@code condition}, printing each change; returns it. */
  RolloutStatus awaitStatus(int seconds, String what, Predicate<RolloutStatus> condition) {
    await(name + ": " + what).atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          RolloutStatus s = sample();
          return s != null && condition.test(s);
        });
    note(what);
    return rollouts.status(name);
  }

  RolloutStatus sample() {
    RolloutStatus s = rollouts.status(name);
    String line = describe(s);
    if (!line.equals(last)) {
      print(line);
      last = line;
    }
    return s;
  }

  void note(String what) {
    print("-- " + what);
  }

  private void print(String line) {
    System.out.printf("[%s] +%5.1fs %s%n", name, Duration.between(start, Instant.now()).toMillis() / 1000.0, line);
  }

  private static String describe(RolloutStatus s) {
    if (s == null) {
      return "no status yet";
    }
    var canary = s.canary();
    return "phase=%s step=%s weight=%s stepRun=%s backgroundRun=%s pause=%s message=%s".formatted(
        s.phase(), s.currentStepIndex(), Rollouts.canaryWeight(s),
        canary == null ? null : run(canary.currentStepAnalysisRunStatus()),
        canary == null ? null : run(canary.currentBackgroundAnalysisRunStatus()),
        s.pauseConditions() == null ? null : s.pauseConditions().stream().map(p -> p.reason()).toList(),
        s.message());
  }

  private static String run(AnalysisRunReference ref) {
    return ref == null ? null : ref.name() + ":" + ref.status();
  }

  /** The rollout's AnalysisRuns, oldest first. */
  List<AnalysisRun> runs() {
    return k8s.resources(AnalysisRun.class).inNamespace(namespace).withLabel("sluice.dev/rollout", name).list().getItems().stream()
        .sorted(Comparator.comparing((AnalysisRun r) -> r.getMetadata().getCreationTimestamp()).thenComparing(r -> r.getMetadata().getName()))
        .toList();
  }

  void printRuns() {
    for (AnalysisRun run : runs()) {
      var status = run.getStatus();
      print("run %s type=%s terminate=%s phase=%s message=%s".formatted(run.getMetadata().getName(),
          run.getMetadata().getLabels().get("sluice.dev/analysis-type"), run.getSpec().terminate(),
          status == null ? null : status.phase(), status == null ? null : status.message()));
    }
  }

  /** The rollout's events as {@code Reason: message}, in the order they happened. */
  List<String> events() {
    return k8s.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> "Rollout".equals(e.getInvolvedObject().getKind()) && name.equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing((Event e) -> Objects.toString(e.getEventTime() == null ? null : e.getEventTime().getTime(), ""))
            .thenComparing(e -> Objects.toString(e.getLastTimestamp(), "")))
        .map(e -> e.getReason() + ": " + e.getMessage())
        .collect(Collectors.toList());
  }

  /**
   * Waits (at most 30 s) until one of the rollout's events matches and returns them all: events are
   * recorded after the status write a test usually waits on, so reading them once would race.
   */
  List<String> awaitEvent(String what, Predicate<String> match) {
    return await(name + ": event " + what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(this::events, events -> events.stream().anyMatch(match));
  }

  void printEvents() {
    events().forEach(e -> print("event " + e));
  }
}
