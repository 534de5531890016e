package dev.sluice.controller.rollout;

import dev.sluice.api.v1alpha1.Rollout;
import java.util.List;

/** The index of Rollouts by the Deployment their spec.workloadRef names: {@code <namespace>/<name>}. */
final class WorkloadRefIndex {
  private WorkloadRefIndex() {}

  static List<String> keys(Rollout rollout) {
    var ref = rollout.getSpec() == null ? null : rollout.getSpec().workloadRef();
    return ref == null || ref.name() == null ? List.of() : List.of(key(rollout.getMetadata().getNamespace(), ref.name()));
  }

  static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
