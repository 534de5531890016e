package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.CanaryStrategy;
import dev.sluice.api.v1alpha1.CanaryStrategy.AntiAffinity;
import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutStrategy.BlueGreenStrategy;
import dev.sluice.controller.plan.Action.CreateReplicaSet;
import dev.sluice.controller.plan.Action.SetPodMetadata;
import dev.sluice.controller.plan.Action.SetTemplateAntiAffinity;
import dev.sluice.controller.plan.Action.SetTemplateRole;
import dev.sluice.controller.plan.Observed.ObservedPod;
import dev.sluice.controller.plan.Observed.ObservedReplicaSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the pods of each role carry, as in Argo Rollouts. While an update runs (a stable exists and
 * is not the desired ReplicaSet) the desired ReplicaSet's pods get canaryMetadata (previewMetadata)
 * and an anti-affinity to the stable's pods, the stable's get stableMetadata (activeMetadata); once
 * the desired ReplicaSet is the stable (first deploy, promotion, rollback to the stable) its pods
 * get stableMetadata and lose the anti-affinity. An abort changes no role: the canary keeps its
 * metadata while it is scaled down. Any other ReplicaSet (on its way out) is left as it is: Argo
 * Rollouts strips its template, which only matters once it is scaled up again, and that happens
 * only when it is the desired or stable one again, which puts its template right then (with the
 * template's own value of a key its old role had replaced, which stripping would lose).
 *
 * <p>Both go into the ReplicaSet's pod template (so new pods have them) and role metadata is
 * changed on the running pods too, in place: the template's hash comes from the Rollout's
 * template, which role metadata is not part of, so no pod restarts. A role key the pod template
 * also sets gets the template's value back when the role no longer sets it; only the role keys are
 * ever touched, and only where they differ.
 */
final class PodRoles {
  private PodRoles() {}

  /** The spec's roles: {@code updating} for the desired ReplicaSet during an update, {@code stable} otherwise. */
  private record Roles(RoleMetadata updating, RoleMetadata stable, AntiAffinity antiAffinity) {
    static Roles of(RolloutSpec spec) {
      CanaryStrategy canary = spec.strategy().canary();
      if (canary != null) {
        return new Roles(RoleMetadata.of(canary.canaryMetadata()), RoleMetadata.of(canary.stableMetadata()), canary.antiAffinity());
      }
      BlueGreenStrategy blueGreen = spec.strategy().blueGreen();
      return new Roles(RoleMetadata.of(blueGreen.previewMetadata()), RoleMetadata.of(blueGreen.activeMetadata()),
          blueGreen.antiAffinity());
    }

    Optional<AntiAffinityTerm> term(String stableHash) {
      if (antiAffinity == null) {
        return Optional.empty();
      }
      var preferred = antiAffinity.preferredDuringSchedulingIgnoredDuringExecution();
      return Optional.of(preferred == null ? new AntiAffinityTerm(stableHash, true, 0)
          : new AntiAffinityTerm(stableHash, false, preferred.weight()));
    }
  }

  /** The role and anti-affinity of the desired ReplicaSet. */
  private record Desired(RoleMetadata role, Optional<AntiAffinityTerm> antiAffinity) {
    static Desired of(Context ctx, Roles roles, String stableHash) {
      boolean updating = stableHash != null && !stableHash.equals(ctx.desiredHash());
      return updating ? new Desired(roles.updating(), roles.term(stableHash)) : new Desired(roles.stable(), Optional.empty());
    }
  }

  /** {@code actions} with the desired ReplicaSet's creation carrying its role and anti-affinity. */
  static List<Action> createWithRole(Context ctx, String stableHash, List<Action> actions) {
    Desired desired = Desired.of(ctx, Roles.of(ctx.observed().rollout().getSpec()), stableHash);
    return actions.stream()
        .map(a -> a instanceof CreateReplicaSet create && create.hash().equals(ctx.desiredHash())
            ? create.withRole(desired.role(), desired.antiAffinity()) : a)
        .toList();
  }

  /**
   * The changes that bring the owned ReplicaSets' templates, and the running pods of the desired
   * and stable ones, to their roles: templates first, so a pod created meanwhile has its role.
   *
   * @param stableHash the stable ReplicaSet after this plan (a promotion in it already counts)
   */
  static List<Action> plan(Context ctx, String stableHash) {
    RolloutSpec spec = ctx.observed().rollout().getSpec();
    Roles roles = Roles.of(spec);
    Desired desired = Desired.of(ctx, roles, stableHash);
    List<Action> templates = new ArrayList<>();
    List<Action> pods = new ArrayList<>();
    for (ObservedReplicaSet rs : ctx.observed().replicaSets()) {
      boolean isDesired = rs.podTemplateHash().equals(ctx.desiredHash());
      if (!isDesired && !rs.podTemplateHash().equals(stableHash)) {
        continue;
      }
      RoleMetadata role = isDesired ? desired.role() : roles.stable();
      RoleMetadata carried = rs.template().role();
      // with workloadRef the template is the Deployment's, which the planner does not see whole
      RoleMetadata base = isDesired && spec.template() != null ? templateOf(spec) : withoutRole(rs.template(), carried);
      if (!role.equals(carried)) {
        MetadataChange change = change(rs.template().labels(), rs.template().annotations(), base, role, keys(carried, role));
        templates.add(new SetTemplateRole(rs.name(), change, role));
      }
      Optional<AntiAffinityTerm> antiAffinity = isDesired ? desired.antiAffinity() : Optional.empty();
      if (!antiAffinity.equals(rs.template().antiAffinity())) {
        templates.add(new SetTemplateAntiAffinity(rs.name(), antiAffinity));
      }
      // every key any role of this spec (or of the template before) sets: a pod a crash left
      // half-way between two roles is still put right
      RoleKeys keys = keys(carried, role).plus(keys(roles.updating(), roles.stable()));
      for (ObservedPod pod : ctx.observed().pods()) {
        if (!pod.terminating() && rs.podTemplateHash().equals(pod.podTemplateHash())) {
          MetadataChange change = change(pod.labels(), pod.annotations(), base, role, keys);
          if (!change.isEmpty()) {
            pods.add(new SetPodMetadata(pod.name(), change));
          }
        }
      }
    }
    templates.addAll(pods);
    return templates;
  }

  /** The keys role metadata may have set. */
  private record RoleKeys(Set<String> labels, Set<String> annotations) {
    RoleKeys plus(RoleKeys other) {
      Set<String> l = new TreeSet<>(labels);
      l.addAll(other.labels);
      Set<String> a = new TreeSet<>(annotations);
      a.addAll(other.annotations);
      return new RoleKeys(l, a);
    }
  }

  private static RoleKeys keys(RoleMetadata one, RoleMetadata other) {
    Set<String> labels = new TreeSet<>(one.labels().keySet());
    labels.addAll(other.labels().keySet());
    Set<String> annotations = new TreeSet<>(one.annotations().keySet());
    annotations.addAll(other.annotations().keySet());
    return new RoleKeys(labels, annotations);
  }

  /** The desired ReplicaSet's template without roles is the Rollout's (same hash). */
  private static RoleMetadata templateOf(RolloutSpec spec) {
    var meta = spec.template().getMetadata();
    return meta == null ? RoleMetadata.NONE : new RoleMetadata(meta.getLabels(), meta.getAnnotations());
  }

  /**
   * The stable's template (an older one than the Rollout's) as it was before its role was put in;
   * a value its role replaced is not known (only matters when stableMetadata changes mid-update).
   */
  private static RoleMetadata withoutRole(Observed.ObservedTemplate template, RoleMetadata role) {
    Map<String, String> labels = new HashMap<>(template.labels());
    labels.keySet().removeAll(role.labels().keySet());
    Map<String, String> annotations = new HashMap<>(template.annotations());
    annotations.keySet().removeAll(role.annotations().keySet());
    return new RoleMetadata(labels, annotations);
  }

  /** For each role key: the role's value, else the template's, else none; only where {@code current} differs. */
  private static MetadataChange change(Map<String, String> labels, Map<String, String> annotations, RoleMetadata base,
      RoleMetadata role, RoleKeys keys) {
    Map<String, String> setLabels = new TreeMap<>();
    Set<String> removeLabels = new TreeSet<>();
    diff(labels, base.labels(), role.labels(), keys.labels(), setLabels, removeLabels);
    Map<String, String> setAnnotations = new TreeMap<>();
    Set<String> removeAnnotations = new TreeSet<>();
    diff(annotations, base.annotations(), role.annotations(), keys.annotations(), setAnnotations, removeAnnotations);
    return MetadataChange.of(setLabels, removeLabels, setAnnotations, removeAnnotations);
  }

  private static void diff(Map<String, String> current, Map<String, String> base, Map<String, String> role, Set<String> keys,
      Map<String, String> set, Set<String> remove) {
    for (String key : keys) {
      String want = role.containsKey(key) ? role.get(key) : base.get(key);
      String have = current.get(key);
      if (want == null && have != null) {
        remove.add(key);
      } else if (want != null && !Objects.equals(want, have)) {
        set.put(key, want);
      }
    }
  }
}
