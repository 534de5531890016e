package dev.sluice.api.validation;

import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.CanaryStrategy.AntiAffinity;
import dev.sluice.api.v1alpha1.CanaryStrategy.PodMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules of what a strategy adds to the pods of each role: the role metadata
 * (canaryMetadata/stableMetadata, previewMetadata/activeMetadata) and antiAffinity.
 *
 * <p>Role labels are moved on running pods when the roles change, so one that the selector or the
 * pod-template-hash label uses would take pods out of their ReplicaSet or the rollout: refused.
 */
final class PodRoleRules {
  private PodRoleRules() {}

  static void metadata(Problems problems, String path, PodMetadata metadata, LabelSelector selector) {
    if (metadata == null || metadata.labels() == null) {
      return;
    }
    Set<String> selected = selectorKeys(selector);
    for (String key : new TreeSet<>(metadata.labels().keySet())) {
      if (key.equals(SluiceLabels.POD_TEMPLATE_HASH)) {
        problems.add(Problems.key(path + ".labels", key), "is the label Sluice tells ReplicaSets apart by; use another key");
      } else if (selected.contains(key)) {
        problems.add(Problems.key(path + ".labels", key),
            "spec.selector uses this label, so changing it would take the pods out of the rollout; use another key");
      }
    }
  }

  static void antiAffinity(Problems problems, String path, AntiAffinity antiAffinity) {
    if (antiAffinity == null) {
      return;
    }
    boolean preferred = antiAffinity.preferredDuringSchedulingIgnoredDuringExecution() != null;
    if (!problems.oneOf(path, "preferredDuringSchedulingIgnoredDuringExecution and requiredDuringSchedulingIgnoredDuringExecution",
        Problems.present("preferredDuringSchedulingIgnoredDuringExecution", antiAffinity.preferredDuringSchedulingIgnoredDuringExecution(),
            "requiredDuringSchedulingIgnoredDuringExecution", antiAffinity.requiredDuringSchedulingIgnoredDuringExecution()))) {
      return;
    }
    if (preferred) {
      String weightPath = path + ".preferredDuringSchedulingIgnoredDuringExecution.weight";
      Integer weight = antiAffinity.preferredDuringSchedulingIgnoredDuringExecution().weight();
      if (weight == null) {
        problems.add(weightPath, "required (1 to 100)");
      } else {
        problems.between(weightPath, weight, 1, 100);
      }
    }
  }

  private static Set<String> selectorKeys(LabelSelector selector) {
    Set<String> keys = new TreeSet<>();
    if (selector == null) {
      return keys;
    }
    Map<String, String> matchLabels = selector.getMatchLabels();
    if (matchLabels != null) {
      keys.addAll(matchLabels.keySet());
    }
    for (LabelSelectorRequirement requirement : LabelSelectors.expressions(selector)) {
      keys.add(requirement.getKey());
    }
    return keys;
  }
}
