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

  /** A status as the watch brought it, when it differed from the one before. */
  record StatusSeen(long nanos, java.time.Instant wall, Map<?, ?> status) {}

  /**
   * One timed pause of the update, its overrun taken apart with the times the controller wrote in
   * status (millisecond precision, the same machine's clock): {@code overrun = wokeLate + leftSeenAfter
   * - enteredSeenAfter}.
   *
   * @param enteredSeenAfter from the pause's startTime to the watch bringing it (makes the overrun look smaller)
   * @param wokeLate from startTime + duration to the start of the reconcile that ended it (the Paused
   *     condition's lastUpdateTime in the status that left it)
   * @param leftSeenAfter from that reconcile's start to the watch bringing its status
   */
  record PauseTiming(String name, int step, double overrun, double enteredSeenAfter, double wokeLate, double leftSeenAfter) {
    /** From the pause's startTime + duration to the watch bringing the status that left it. */
    double fromStartTime() {
      return wokeLate + leftSeenAfter;
    }
  }

  private final Map<String, List<Point>> points = new ConcurrentHashMap<>();
  private final Map<String, List<StatusSeen>> statuses = new ConcurrentHashMap<>();

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
    long now = System.nanoTime();
    java.time.Instant wall = java.time.Instant.now();
    List<StatusSeen> seen = statuses.computeIfAbsent(r.getMetadata().getName(), k -> new ArrayList<>());
    synchronized (seen) {
      if (seen.isEmpty() || !seen.get(seen.size() - 1).status().equals(status)) {
        seen.add(new StatusSeen(now, wall, status));
      }
    }
    Object step = status.get("currentStepIndex");
    Object pauses = status.get("pauseConditions");
    Point p = new Point(now, step instanceof Number n ? n.intValue() : null, (String) status.get("phase"),
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

  /**
   * Each status change at or after {@code since}, named by the status fields it changed (a
   * condition by its type, e.g. {@code conditions.Progressing}), e.g. {@code availableReplicas,readyReplicas}.
   */
  List<String> statusChanges(String name, long since) {
    List<StatusSeen> list = statuses.getOrDefault(name, List.of());
    List<StatusSeen> copy;
    synchronized (list) {
      copy = List.copyOf(list);
    }
    List<String> out = new ArrayList<>();
    for (int i = 1; i < copy.size(); i++) {
      if (copy.get(i).nanos() >= since) {
        out.add(String.join(",", changedFields(copy.get(i - 1).status(), copy.get(i).status())));
      }
    }
    return out;
  }

  /** The statuses seen at or after {@code since}, for a look at one rollout's history. */
  List<StatusSeen> statusesSince(String name, long since) {
    List<StatusSeen> list = statuses.getOrDefault(name, List.of());
    synchronized (list) {
      return list.stream().filter(s -> s.nanos() >= since).toList();
    }
  }

  /** The timed pauses of the update, see {@link PauseTiming}; a pause whose times cannot be read is left out. */
  List<PauseTiming> pauseTimings(String name, long since, Map<Integer, Double> pauseSecondsByStep) {
    List<PauseTiming> out = new ArrayList<>();
    StatusSeen entered = null;
    Integer pausedStep = null;
    for (StatusSeen seen : statusesSince(name, since)) {
      Integer step = seen.status().get("currentStepIndex") instanceof Number n ? n.intValue() : null;
      if (step == null) {
        continue;
      }
      if (pausedStep != null && step > pausedStep) {
        java.time.Instant start = pauseStart(entered.status());
        java.time.Instant leftAt = conditionTime(seen.status(), "Paused", "lastUpdateTime");
        double duration = pauseSecondsByStep.get(pausedStep);
        if (start != null && leftAt != null) {
          out.add(new PauseTiming(name, pausedStep, (seen.nanos() - entered.nanos()) / 1e9 - duration,
              seconds(start, entered.wall()), seconds(start.plusMillis((long) (duration * 1000)), leftAt),
              seconds(leftAt, seen.wall())));
        }
        pausedStep = null;
      }
      if (pausedStep == null && pauseStart(seen.status()) != null && pauseSecondsByStep.containsKey(step)) {
        pausedStep = step;
        entered = seen;
      }
    }
    return out;
  }

  private static double seconds(java.time.Instant from, java.time.Instant to) {
    return java.time.Duration.between(from, to).toNanos() / 1e9;
  }

  private static java.time.Instant pauseStart(Map<?, ?> status) {
    if (status.get("pauseConditions") instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> c
        && c.get("startTime") instanceof String t) {
      return java.time.Instant.parse(t);
    }
    return null;
  }

  private static java.time.Instant conditionTime(Map<?, ?> status, String type, String field) {
    Object c = byType(status.get("conditions")).get(type);
    return c instanceof Map<?, ?> m && m.get(field) instanceof String t ? java.time.Instant.parse(t) : null;
  }

  static java.util.SortedSet<String> changedFields(Map<?, ?> before, Map<?, ?> after) {
    java.util.SortedSet<String> keys = new java.util.TreeSet<>();
    java.util.Set<Object> all = new java.util.HashSet<>(before.keySet());
    all.addAll(after.keySet());
    for (Object k : all) {
      if (java.util.Objects.equals(before.get(k), after.get(k))) {
        continue;
      }
      if ("conditions".equals(k)) {
        Map<Object, Object> b = byType(before.get(k));
        Map<Object, Object> a = byType(after.get(k));
        java.util.Set<Object> types = new java.util.HashSet<>(b.keySet());
        types.addAll(a.keySet());
        types.stream().filter(t -> !java.util.Objects.equals(b.get(t), a.get(t))).forEach(t -> keys.add("conditions." + t));
      } else {
        keys.add(String.valueOf(k));
      }
    }
    return keys;
  }

  private static Map<Object, Object> byType(Object conditions) {
    Map<Object, Object> m = new java.util.HashMap<>();
    if (conditions instanceof List<?> l) {
      l.forEach(c -> {
        if (c instanceof Map<?, ?> cm) {
          m.put(cm.get("type"), cm);
        }
      });
    }
    return m;
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
