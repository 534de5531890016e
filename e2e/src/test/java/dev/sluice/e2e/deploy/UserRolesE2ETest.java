package dev.sluice.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.AnalysisTemplate;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/base/user-roles: whoever has Kubernetes' built-in "view" or "edit" role in a namespace
 * gets Sluice's kinds with it, through ClusterRole aggregation by the real controller-manager.
 * The roles are applied under test-specific names and removed afterwards (which takes their rules
 * out of view and edit again).
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserRolesE2ETest {
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private KubernetesClient admin;
  private KubernetesClient viewer;
  private KubernetesClient editor;
  private String ns;
  private String suffix;

  @BeforeAll
  void usersWithTheBuiltInRoles(LocalCluster cluster, KubernetesClient k8s, TestNamespace testNamespace, @TempDir Path dir) {
    admin = k8s;
    ns = testNamespace.name();
    suffix = "-" + ns;
    Path overlay = KustomizeOverlay.write(dir.resolve("user-roles"), cluster.repoRoot().resolve("deploy/base/user-roles"), ns, suffix);
    System.out.println("[deploy] " + cluster.kubectl("apply", "--server-side", "-k", overlay.toString()).strip());
    viewer = userWithBuiltInRole(cluster, "view", dir);
    editor = userWithBuiltInRole(cluster, "edit", dir);
    await("the controller-manager folds the roles into view and edit").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> allowed(viewer, "rollouts", "", "list") && allowed(editor, "rollouts", "status", "patch"));
  }

  private KubernetesClient userWithBuiltInRole(LocalCluster cluster, String clusterRole, Path dir) {
    String user = clusterRole + "-user";
    admin.resource("""
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: %s}
        """.formatted(user)).inNamespace(ns).create();
    admin.resource("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: %1$s}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: %2$s}
        subjects: [{kind: ServiceAccount, name: %1$s, namespace: %3$s}]
        """.formatted(user, clusterRole, ns)).inNamespace(ns).create();
    return LocalCluster.clientFor(ServiceAccountKubeconfig.write(admin, ns, user, cluster.kubeconfig(), dir.resolve(user + ".kubeconfig")));
  }

  @AfterAll
  void removeTheRoles() {
    for (KubernetesClient c : new KubernetesClient[] {viewer, editor}) {
      if (c != null) c.close();
    }
    if (admin != null) {
      admin.rbac().clusterRoles().withName("sluice-view" + suffix).delete();
      admin.rbac().clusterRoles().withName("sluice-edit" + suffix).delete();
    }
  }

  @Test
  void aViewerReadsRolloutsAndAnalysisButCannotPromoteOrChangeThem() {
    createRollout("watched");

    assertThat(viewer.resources(Rollout.class).inNamespace(ns).list().getItems()).extracting(r -> r.getMetadata().getName())
        .contains("watched");
    assertThat(viewer.resources(AnalysisRun.class).inNamespace(ns).list().getItems()).isEmpty();
    assertThat(viewer.resources(AnalysisTemplate.class).inNamespace(ns).list().getItems()).isEmpty();
    assertForbidden(() -> viewer.resources(Rollout.class).inNamespace(ns).withName("watched").subresource("status")
        .patch(MERGE, "{\"status\":{\"abort\":true}}"));
    assertForbidden(() -> viewer.resources(Rollout.class).inNamespace(ns).withName("watched")
        .patch(MERGE, "{\"spec\":{\"paused\":true}}"));
    assertForbidden(() -> viewer.resources(Rollout.class).inNamespace(ns).withName("watched").delete());
  }

  @Test
  void anEditorPromotesAbortsPausesAndManagesAnalysis() {
    createRollout("steered");
    var rollout = editor.resources(Rollout.class).inNamespace(ns).withName("steered");

    rollout.subresource("status").patch(MERGE, "{\"status\":{\"abort\":true}}");
    rollout.subresource("status").patch(MERGE, "{\"status\":{\"pauseConditions\":null,\"promoteFull\":true}}");
    rollout.patch(MERGE, "{\"spec\":{\"paused\":true}}");
    editor.resource("""
        apiVersion: sluice.dev/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: smoke}
        spec:
          metrics:
          - name: smoke
            provider:
              job:
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: smoke, image: registry.example/smoke:1.0}]
        """).inNamespace(ns).create();

    Rollout after = admin.resources(Rollout.class).inNamespace(ns).withName("steered").get();
    assertThat(after.getStatus().abort()).isTrue();
    assertThat(after.getStatus().promoteFull()).isTrue();
    assertThat(after.getSpec().paused()).isTrue();
    assertThat(admin.resources(AnalysisTemplate.class).inNamespace(ns).withName("smoke").get()).isNotNull();
    rollout.delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> admin.resources(Rollout.class).inNamespace(ns).withName("steered").get() == null);
  }

  private void createRollout(String name) {
    admin.resource("""
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata: {name: %1$s}
        spec:
          replicas: 1
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
              containers: [{name: app, image: registry.example/app:1.0}]
          strategy:
            canary:
              steps: [{setWeight: 50}, {pause: {}}]
        """.formatted(name)).inNamespace(ns).create();
  }

  private boolean allowed(KubernetesClient user, String resource, String subresource, String verb) {
    var review = user.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
        .withNewSpec().withNewResourceAttributes().withNamespace(ns).withGroup("sluice.dev").withResource(resource)
        .withSubresource(subresource).withVerb(verb).endResourceAttributes().endSpec().build());
    return Boolean.TRUE.equals(review.getStatus().getAllowed());
  }

  private static void assertForbidden(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(KubernetesClientException.class,
        e -> assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403));
  }
}
