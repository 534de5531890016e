package dev.sluice.e2e.cli;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Rollouts and what a controller would have made for them, created by hand: these tests check
 * what kubectl-sluice reads and writes, so no controller runs in their namespaces and the status
 * and ReplicaSets are exactly what each test sets.
 */
final class RolloutFixtures {
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private final KubernetesClient k8s;
  private final String namespace;

  RolloutFixtures(KubernetesClient k8s, String namespace) {
    this.k8s = k8s;
    this.namespace = namespace;
  }

  /** A canary rollout with two containers and four steps; {@code extraSpec} is YAML added to spec (two-space indent). */
  Rollout create(String name, String image, String extraSpec) {
    k8s.resource("""
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata:
          name: %1$s
        spec:
          replicas: 2
        %3$s
          selector:
            matchLabels: {app: %1$s}
          template:
            metadata:
              labels: {app: %1$s}
            spec:
              containers:
              - name: app
                image: %2$s
              - name: proxy
                image: registry.example/proxy:1.0
          strategy:
            canary:
              steps:
              - setWeight: 20
              - pause: {}
              - setWeight: 50
              - pause: {duration: 30s}
        """.formatted(name, image, extraSpec == null ? "" : extraSpec.indent(2).stripTrailing())).inNamespace(namespace).create();
    return get(name);
  }

  Rollout get(String name) {
    return k8s.resources(Rollout.class).inNamespace(namespace).withName(name).get();
  }

  /** What the controller would write: a merge patch of the status subresource. */
  void setStatus(String name, String statusJson) {
    k8s.resources(Rollout.class).inNamespace(namespace).withName(name).subresource("status")
        .patch(MERGE, "{\"status\":" + statusJson + "}");
  }

  /** A ReplicaSet the rollout owns, for one revision of its pod template. */
  ReplicaSet replicaSet(Rollout rollout, String hash, int revision, String image, int replicas) {
    String name = rollout.getMetadata().getName();
    ReplicaSet rs = new ReplicaSetBuilder()
        .withNewMetadata().withName(name + "-" + hash)
        .addToLabels("app", name).addToLabels("sluice.dev/pod-template-hash", hash)
        .addToAnnotations("sluice.dev/revision", String.valueOf(revision))
        .addNewOwnerReference().withApiVersion("sluice.dev/v1alpha1").withKind("Rollout").withName(name)
        .withUid(rollout.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).endOwnerReference()
        .endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", name).addToMatchLabels("sluice.dev/pod-template-hash", hash).endSelector()
        .withNewTemplate()
        .withNewMetadata().addToLabels("app", name).addToLabels("sluice.dev/pod-template-hash", hash)
        .addToAnnotations("revision-note", "r" + revision).endMetadata()
        .withNewSpec()
        .addNewContainer().withName("app").withImage(image).endContainer()
        .addNewContainer().withName("proxy").withImage("registry.example/proxy:1.0").endContainer()
        .endSpec().endTemplate().endSpec().build();
    return k8s.apps().replicaSets().inNamespace(namespace).resource(rs).create();
  }

  /** An AnalysisRun the rollout owns, with the given status. */
  void analysisRun(Rollout rollout, String name, String statusJson) {
    k8s.resource("""
        apiVersion: sluice.dev/v1alpha1
        kind: AnalysisRun
        metadata:
          name: %s
          ownerReferences:
          - {apiVersion: sluice.dev/v1alpha1, kind: Rollout, name: %s, uid: %s, controller: true}
        spec:
          metrics:
          - name: success-rate
            provider: {web: {url: "http://127.0.0.1:1/ok"}}
        """.formatted(name, rollout.getMetadata().getName(), rollout.getMetadata().getUid())).inNamespace(namespace).create();
    k8s.resources(AnalysisRun.class).inNamespace(namespace).withName(name).subresource("status")
        .patch(MERGE, "{\"status\":" + statusJson + "}");
  }
}
