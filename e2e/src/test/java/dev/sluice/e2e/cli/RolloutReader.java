package dev.sluice.e2e.cli;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** A ServiceAccount "reader" that may only read Rollouts, AnalysisRuns and ReplicaSets in one namespace. */
final class RolloutReader {
  private RolloutReader() {}

  /** Creates it in {@code namespace} and returns a token for it (valid an hour). */
  static String token(KubernetesClient k8s, String namespace) {
    k8s.resource("""
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: reader}
        """).inNamespace(namespace).create();
    k8s.resource("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: rollout-reader}
        rules:
        - {apiGroups: [sluice.dev], resources: [rollouts, analysisruns], verbs: [get, list, watch]}
        - {apiGroups: [apps], resources: [replicasets], verbs: [get, list, watch]}
        """).inNamespace(namespace).create();
    k8s.resource("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: reader-reads-rollouts}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: rollout-reader}
        subjects: [{kind: ServiceAccount, name: reader, namespace: %s}]
        """.formatted(namespace)).inNamespace(namespace).create();
    return k8s.serviceAccounts().inNamespace(namespace).withName("reader")
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus().getToken();
  }
}
