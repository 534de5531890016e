package dev.sluice.bench.scale;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each Rollout's status went through, as a watch sees it, with the moment (System.nanoTime)
 * each change arrived: step index, phase, whether paused, the current and stable hashes.
 */
final class Timeline implements ResourceEventHandler<GenericKubernetesResource> {

  record Point(long nanos, Integer step, String phase, boolean paused, String current, String stable) {
    boolean healthyOn(String hash) {
      return "Healthy".equals(phase) && hash != null && hash.equals(current) && hash.equals(stable);
    }
  }

  private final Map<String, List<Point>> points = new ConcurrentHashMap<>();

  @Override
  public void onAdd(GenericKubernetesResource r) {
    record(r);
  }

  @Override
  public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource r) {
    record(r);
  }

  @Override
  public void onDelete(GenericKubernetesResource r, boolean unknownFinalState) {}

  @SuppressWarnings("unchecked")
  private void record(GenericKubernetesResource r) {
    Object raw = r.getAdditionalProperties().get("status");
    if (!(raw instanceof Map<?, ?> status)) {
      return;
    }
    Object step = status.get("currentStepIndex");
    Object pauses = status.get("pauseConditions");
    Point p = new Point(System.nanoTime(), step instanceof Number n ? n.intValue() : null, (String) status.get("phase"),
        pauses instanceof List<?> l && !l.isEmpty(), (String) status.get("currentPodHash"), (String) status.get("stableRS"));
    List<Point> list = points.computeIfAbsent(r.getMetadata().getName(), k -> new ArrayList<>());
    synchronized (list) {
      Point last = list.isEmpty() ? null : list.get(list.size() - 1);
      if (last == null || !same(last, p)) {
        list.add(p);
      }
    }
  }

  private static boolean same(Point a, Point b) {
    return java.util.Objects.equals(a.step, b.step) && java.util.Objects.equals(a.phase, b.phase)
        && a.paused == b.paused && java.util.Objects.equals(a.current, b.current)
        && java.util.Objects.equals(a.stable, b.stable);
  }

  List<Point> of(String name) {
    List<Point> list = points.getOrDefault(name, List.of());
    synchronized (list) {
      return List.copyOf(list);
    }
  }

  /** The first moment at or after {@code since} the Rollout was Healthy on a hash other than {@code oldHash}, or -1. */
  long healthyOnNewAfter(String name, long since, String oldHash) {
    for (Point p : of(name)) {
      if (p.nanos() >= since && p.current() != null && !p.current().equals(oldHash) && p.healthyOn(p.current())) {
        return p.nanos();
      }
    }
    return -1;
  }

  /**
   * How late each timed pause of the update ended, in seconds: from the moment the watch first saw
   * the Rollout paused at a pause step to the moment it saw the next step, minus the pause's
   * duration. Both moments come through the same watch, so its delay cancels out.
   */
  List<Double> pauseOverruns(String name, long since, Map<Integer, Double> pauseSecondsByStep) {
    List<Double> out = new ArrayList<>();
    Long enteredAt = null;
    Integer pausedStep = null;
    for (Point p : of(name)) {
      if (p.nanos() < since || p.step() == null) {
        continue;
      }
      if (pausedStep != null && p.step() > pausedStep) {
        out.add((p.nanos() - enteredAt) / 1e9 - pauseSecondsByStep.get(pausedStep));
        pausedStep = null;
      }
      // the status that leaves one pause may already be paused at the next (a setWeight between them reached at once)
      if (pausedStep == null && p.paused() && pauseSecondsByStep.containsKey(p.step())) {
        pausedStep = p.step();
        enteredAt = p.nanos();
      }
    }
    return out;
  }
}
