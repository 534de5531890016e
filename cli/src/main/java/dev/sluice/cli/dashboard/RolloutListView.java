package dev.sluice.cli.dashboard;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.cli.kube.StoredRollouts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the front page shows: the rollouts of each namespace with their phase, step and weight.
 *
 * @param namespace the one namespace the dashboard watches, or null when it watches all
 */
public record RolloutListView(String namespace, List<NamespaceRollouts> namespaces) {

  public record NamespaceRollouts(String name, List<RolloutRow> rollouts) {}

  /**
   * @param phase the controller's phase, or "Unknown" before it wrote one
   * @param step "2/4", "blue-green" for a blue-green rollout, or null when the rollout has no canary steps
   * @param canaryWeight the canary's share of traffic in percent, or null when not known
   */
  public record RolloutRow(String name, String phase, boolean aborted, boolean paused, String message,
      String step, Integer canaryWeight, int readyReplicas, int desiredReplicas) {}

  /** Phase shown for a stored rollout the model cannot read; its message says where and why. */
  static final String UNREADABLE = "Unreadable";

  public static RolloutListView of(String namespace, StoredRollouts.Listing rollouts) {
    Map<String, List<RolloutRow>> byNamespace = new TreeMap<>();
    rollouts.rollouts().forEach(r -> byNamespace.computeIfAbsent(r.getMetadata().getNamespace(), ns -> new ArrayList<>()).add(row(r)));
    rollouts.unreadable().forEach(u -> byNamespace.computeIfAbsent(u.namespace(), ns -> new ArrayList<>())
        .add(new RolloutRow(u.name(), UNREADABLE, false, false, u.line(), null, null, 0, 0)));
    List<NamespaceRollouts> namespaces = new ArrayList<>();
    byNamespace.forEach((ns, rows) -> namespaces.add(new NamespaceRollouts(ns,
        rows.stream().sorted(Comparator.comparing(RolloutRow::name)).toList())));
    return new RolloutListView(namespace, namespaces);
  }

  static RolloutRow row(Rollout rollout) {
    RolloutSpec spec = rollout.getSpec();
    RolloutStatus status = rollout.getStatus();
    List<?> steps = RolloutFacts.steps(rollout);
    Integer index = status == null ? null : status.currentStepIndex();
    boolean blueGreen = spec != null && spec.strategy() != null && spec.strategy().blueGreen() != null;
    String step = blueGreen ? "blue-green" : steps.isEmpty() ? null
        : (index == null ? "-" : String.valueOf(Math.min(index + 1, steps.size()))) + "/" + steps.size();
    return new RolloutRow(rollout.getMetadata().getName(), RolloutFacts.phase(rollout), RolloutFacts.aborted(rollout),
        RolloutFacts.paused(rollout), status == null ? null : status.message(), step, RolloutFacts.canaryWeight(status),
        status == null || status.readyReplicas() == null ? 0 : status.readyReplicas(),
        spec == null || spec.replicas() == null ? 1 : spec.replicas());
  }
}
