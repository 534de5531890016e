package dev.sluice.cli.render;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Objects as the API server would return them, written as YAML. */
final class Fixtures {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Fixtures() {}

  static Rollout rollout(String yaml) {
    return SERIALIZATION.unmarshal(yaml, Rollout.class);
  }

  static ReplicaSet replicaSet(String name, String hash, int revision, String image, int desired, int ready, String created) {
    return SERIALIZATION.unmarshal("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: %1$s
          creationTimestamp: "%7$s"
          labels: {app: shop, sluice.dev/pod-template-hash: %2$s}
          annotations: {sluice.dev/revision: "%3$d"}
        spec:
          replicas: %5$d
          selector: {matchLabels: {app: shop, sluice.dev/pod-template-hash: %2$s}}
          template:
            metadata: {labels: {app: shop, sluice.dev/pod-template-hash: %2$s}}
            spec: {containers: [{name: app, image: "%4$s"}]}
        status: {replicas: %5$d, readyReplicas: %6$d, availableReplicas: %6$d}
        """.formatted(name, hash, revision, image, desired, ready, created), ReplicaSet.class);
  }

  static AnalysisRun analysisRun(String yaml) {
    return SERIALIZATION.unmarshal(yaml, AnalysisRun.class);
  }
}
