package dev.sluice.cli.render;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What `kubectl sluice list rollouts` prints: one row per rollout. */
public final class RolloutTable {
  private RolloutTable() {}

  public static String render(List<Rollout> rollouts, boolean withNamespace, Instant now) {
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>();
    if (withNamespace) header.add("NAMESPACE");
    header.addAll(List.of("NAME", "STRATEGY", "STATUS", "STEP", "WEIGHT", "READY", "AVAILABLE", "AGE"));
    rows.add(header);
    rollouts.stream()
        .sorted(Comparator.comparing((Rollout r) -> r.getMetadata().getNamespace()).thenComparing(r -> r.getMetadata().getName()))
        .forEach(r -> rows.add(row(r, withNamespace, now)));
    return String.join("\n", Columns.align(rows)) + "\n";
  }

  private static List<String> row(Rollout rollout, boolean withNamespace, Instant now) {
    RolloutSpec spec = rollout.getSpec();
    RolloutStatus status = rollout.getStatus();
    List<String> row = new ArrayList<>();
    if (withNamespace) row.add(rollout.getMetadata().getNamespace());
    row.add(rollout.getMetadata().getName());
    boolean canary = spec != null && spec.strategy() != null && spec.strategy().canary() != null;
    row.add(canary ? "Canary" : spec != null && spec.strategy() != null && spec.strategy().blueGreen() != null ? "BlueGreen" : "-");
    row.add(status == null || status.phase() == null ? "-" : status.phase() + (Boolean.TRUE.equals(status.abort()) ? " (aborted)" : ""));
    int steps = canary && spec.strategy().canary().steps() != null ? spec.strategy().canary().steps().size() : 0;
    Integer index = status == null ? null : status.currentStepIndex();
    // as in the tree: the step in progress, counting from 1, or steps/steps once all are done
    row.add(!canary || steps == 0 ? "-" : (index == null ? "-" : String.valueOf(Math.min(index + 1, steps))) + "/" + steps);
    Integer weight = status == null ? null : status.canaryWeight().orElse(null);
    row.add(weight == null ? "-" : String.valueOf(weight));
    int desired = spec == null || spec.replicas() == null ? 1 : spec.replicas();
    row.add(count(status == null ? null : status.readyReplicas()) + "/" + desired);
    row.add(count(status == null ? null : status.availableReplicas()));
    row.add(Ages.since(rollout.getMetadata().getCreationTimestamp(), now));
    return row;
  }

  private static String count(Integer value) {
    return value == null ? "0" : String.valueOf(value);
  }
}
