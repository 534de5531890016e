package dev.sluice.e2e.traffic;

import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Rollouts that only own what the routers create: no controller runs in these tests, so they stay
 * as stored, and deleting one shows the garbage collector taking its canary objects with it.
 */
final class RolloutOwners {
  private RolloutOwners() {}

  /** Creates Rollout {@code name} whose canary strategy has {@code trafficRouting} (YAML, 8-space indented). */
  static Rollout create(KubernetesClient k8s, String namespace, String name, String trafficRouting) {
    String yaml = """
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata:
          name: %s
        spec:
          replicas: 1
          selector:
            matchLabels: {app: %s}
          template:
            metadata:
              labels: {app: %s}
            spec:
              containers:
              - name: app
                image: registry.example/demo:1.0
          strategy:
            canary:
              canaryService: demo-canary
              stableService: demo-stable
              trafficRouting:
        %s
              steps:
              - setWeight: 10
        """.formatted(name, name, name, trafficRouting.stripTrailing());
    k8s.resource(yaml).inNamespace(namespace).create();
    return k8s.resources(Rollout.class).inNamespace(namespace).withName(name).get();
  }
}
