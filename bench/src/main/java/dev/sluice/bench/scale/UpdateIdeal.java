package dev.sluice.bench.scale;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fastest a rollout's update could be (issue 13): the sum of its pauses plus its pod readiness, the
 * time its ReplicaSets spent waiting for pods to become available, which is the cluster's work, not the
 * controller's. An update took {@code ratio} times its ideal.
 */
final class UpdateIdeal {
  private UpdateIdeal() {}

  /** A ReplicaSet's wait for its pods, in System.nanoTime: from its scale-up seen to all its replicas available seen. */
  record Wait(long startNanos, long endNanos) {}

  /** Seconds covered by at least one of the waits: two ReplicaSets waiting at once count once. */
  static double readinessSeconds(Collection<Wait> waits) {
    List<Wait> sorted = new ArrayList<>(waits);
    sorted.sort(Comparator.comparingLong(Wait::startNanos));
    long covered = 0;
    long reach = Long.MIN_VALUE;
    for (Wait w : sorted) {
      long from = Math.max(w.startNanos(), reach);
      if (w.endNanos() > from) {
        covered += w.endNanos() - from;
      }
      reach = Math.max(reach, w.endNanos());
    }
    return covered / 1e9;
  }

  /**
   * The wave's figures from each rollout's update seconds and its ReplicaSets' waits (a rollout with none
   * waited for no pods): per rollout ideal = {@code pauseSeconds} + its readiness, ratio = update ÷ ideal, and
   * beyond = update − ideal, the time neither pauses nor pods explain (the controller's).
   */
  static Map<String, Double> figures(Map<String, Double> updateSecondsByRollout, Map<String, List<Wait>> waitsByRollout,
      double pauseSeconds) {
    List<Double> readiness = new ArrayList<>();
    List<Double> ideals = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    List<Double> beyond = new ArrayList<>();
    updateSecondsByRollout.forEach((rollout, update) -> {
      double r = readinessSeconds(waitsByRollout.getOrDefault(rollout, List.of()));
      readiness.add(r);
      ideals.add(pauseSeconds + r);
      ratios.add(update / (pauseSeconds + r));
      beyond.add(update - (pauseSeconds + r));
    });
    Map<String, Double> f = new LinkedHashMap<>();
    f.put("sum of pauses s", pauseSeconds);
    f.put("pod readiness p50 s", quantile(readiness, 0.5));
    f.put("pod readiness p99 s", quantile(readiness, 0.99));
    f.put("ideal update p99 s", quantile(ideals, 0.99));
    f.put("update / ideal p50", quantile(ratios, 0.5));
    f.put("update / ideal p99", quantile(ratios, 0.99));
    f.put("update - ideal p50 s", quantile(beyond, 0.5));
    f.put("update - ideal p99 s", quantile(beyond, 0.99));
    return f;
  }

  /** The value below which a share {@code q} of the values lie (nearest rank); NaN for none. */
  static double quantile(List<Double> values, double q) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
  }
}
