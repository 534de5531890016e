package dev.sluice.cli.render;

import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * What a ReplicaSet is to its rollout, read from the status: for canary {@code stable}, {@code canary}
 * or {@code old}; for blue-green any of {@code stable}, {@code active} and {@code preview} at once
 * (as Argo's {@code stable,active}), else {@code old}. Shared by `get rollout` and the dashboard.
 */
public final class ReplicaSetRoles {
  public static final String STABLE = "stable";
  public static final String CANARY = "canary";
  public static final String ACTIVE = "active";
  public static final String PREVIEW = "preview";
  public static final String OLD = "old";

  private ReplicaSetRoles() {}

  public static boolean blueGreen(RolloutSpec spec, RolloutStatus status) {
    if (spec != null && spec.strategy() != null) return spec.strategy().blueGreen() != null;
    return status != null && status.blueGreen() != null;
  }

  /** The roles of the ReplicaSet with pod-template-hash {@code hash}, never empty. */
  public static List<String> of(String hash, RolloutSpec spec, RolloutStatus status) {
    if (status == null || hash == null) return List.of(OLD);
    if (!blueGreen(spec, status)) {
      if (hash.equals(status.stableRS())) return List.of(STABLE);
      if (hash.equals(status.currentPodHash())) return List.of(CANARY);
      return List.of(OLD);
    }
    RolloutStatus.BlueGreenStatus blueGreen = status.blueGreen();
    String active = blueGreen == null ? null : blueGreen.activeSelector();
    String preview = blueGreen == null ? null : blueGreen.previewSelector();
    List<String> roles = new ArrayList<>();
    if (hash.equals(status.stableRS())) roles.add(STABLE);
    if (hash.equals(active)) roles.add(ACTIVE);
    // the new template's pods are the preview until the active Service selects them, even while
    // the preview Service is not pinned yet (or back on stable after an abort)
    boolean newPods = hash.equals(status.currentPodHash()) && !roles.contains(STABLE);
    if (!hash.equals(active) && (hash.equals(preview) && !roles.contains(STABLE) || newPods)) roles.add(PREVIEW);
    return roles.isEmpty() ? List.of(OLD) : List.copyOf(roles);
  }
}
