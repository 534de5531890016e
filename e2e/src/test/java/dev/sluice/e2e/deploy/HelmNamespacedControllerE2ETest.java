package dev.sluice.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.e2e.ControllerProcess;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.e2e.Rollouts;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart installed for one watched namespace: its ServiceAccount, Roles and bindings are applied as
 * {@code helm template --set watchNamespaces={W}} renders them, and the packaged controller runs with the
 * chart's own flags and only a token of that ServiceAccount. It deploys a Rollout in W and is refused
 * (Forbidden) in a namespace it does not watch, and cluster-wide.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HelmNamespacedControllerE2ETest {
  private static final Path LOGS = Path.of("target", "controller-logs");

  private KubernetesClient admin;
  private KubernetesClient asController;
  private ControllerProcess controller;
  private Manifests installed;
  private String home;
  private String watched;
  private String outside;

  @BeforeAll
  void installTheNamespacedChartAndRunTheController(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns, @TempDir Path dir)
      throws IOException {
    admin = k8s;
    home = ns.name();
    watched = createNamespace(home + "-watched");
    outside = createNamespace(home + "-outside");
    // the release name makes the cluster-scoped names this test's own
    String release = "sluice-" + home.substring(home.lastIndexOf('-') + 1);
    Manifests chart = new Helm(cluster.repoRoot()).template(release, home, "watchNamespaces={" + watched + "}",
        "installCRDs=false", "metrics.podMonitor.enabled=false", "metrics.dashboard.enabled=false");
    // the controller's identity and permissions (the Deployment's pods could not run here: no images)
    installed = new Manifests(chart.objects().stream()
        .filter(o -> "sluice-controller".equals(o.at("/metadata/labels/app.kubernetes.io~1name").asText()))
        .filter(o -> !"Deployment".equals(o.path("kind").asText()) && !"PodDisruptionBudget".equals(o.path("kind").asText()))
        .toList());
    Path rbac = dir.resolve("rbac.yaml");
    YAMLMapper yaml = new YAMLMapper();
    StringBuilder docs = new StringBuilder();
    for (JsonNode o : installed.objects()) docs.append(yaml.writeValueAsString(o));
    Files.writeString(rbac, docs);
    System.out.println("[helm] " + cluster.kubectl("apply", "--server-side", "-f", rbac.toString()).strip());

    JsonNode pod = chart.get("Deployment", release + "-controller").at("/spec/template/spec");
    Path kubeconfig = ServiceAccountKubeconfig.write(k8s, home, pod.path("serviceAccountName").asText(), cluster.kubeconfig(),
        dir.resolve("controller.kubeconfig"));
    asController = LocalCluster.clientFor(kubeconfig);
    // the chart's own flags; in a pod the Lease's namespace would come from POD_NAMESPACE
    List<String> args = new ArrayList<>();
    pod.at("/containers/0/args").forEach(a -> args.add(a.asText()));
    assertThat(args).containsExactly("--leader-elect", "--namespace", watched);
    args.addAll(List.of("--leader-election-namespace", home));
    controller = new ControllerProcess(kubeconfig, watched, LOGS.resolve("helm-namespaced.log"), args.toArray(String[]::new));
    await("the controller holds its Lease and is ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .until(() -> admin.leases().inNamespace(home).withName("sluice-controller").get() != null && controller.readyz() == 200);
  }

  @AfterAll
  void stopAndRemove() throws InterruptedException {
    if (controller != null) controller.close();
    if (asController != null) asController.close();
    if (admin == null) return;
    if (installed != null) {
      for (JsonNode o : installed.objects()) {
        if (Manifests.namespace(o) == null) admin.resource(o.toString()).delete();
      }
    }
    for (String ns : new String[] {watched, outside}) {
      if (ns != null) admin.namespaces().withName(ns).delete();
    }
  }

  @Test
  void aRolloutInTheWatchedNamespaceIsDeployed() {
    Rollouts rollouts = new Rollouts(admin, watched);
    rollouts.create(Rollouts.manifest("shop", 2, "registry.example/shop:1.0", "", "", "- setWeight: 50"));

    await("shop becomes Healthy").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
      var status = rollouts.status("shop");
      return status != null && Rollouts.hasCondition(status, "Healthy", "True") && rollouts.readyPodsByHash("shop").values()
          .stream().mapToInt(Integer::intValue).sum() == 2;
    });
    assertThat(controller.alive()).isTrue();
    assertThat(controller.output()).doesNotContainIgnoringCase("forbidden");
  }

  @Test
  void outsideTheWatchedNamespaceTheControllerIsForbidden() {
    admin.resource(Rollouts.manifest("elsewhere", 1, "registry.example/shop:1.0", "", "", "- setWeight: 50")).inNamespace(outside).create();
    var elsewhere = asController.resources(Rollout.class).inNamespace(outside).withName("elsewhere");

    assertForbidden(elsewhere::get);
    assertForbidden(() -> asController.resources(Rollout.class).inNamespace(outside).list());
    assertForbidden(() -> elsewhere.subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Healthy\"}}"));
    assertForbidden(() -> asController.apps().replicaSets().inNamespace(outside).resource(new ReplicaSetBuilder()
        .withNewMetadata().withName("not-mine").endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "x").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "x").endMetadata()
        .withNewSpec().addNewContainer().withName("x").withImage("registry.example/x:1").endContainer().endSpec()
        .endTemplate().endSpec().build()).create());
    assertForbidden(() -> asController.secrets().inNamespace(outside).withName("anything").get());
    assertForbidden(() -> asController.resources(Rollout.class).inAnyNamespace().list());

    for (String[] write : new String[][] {{"apps", "replicasets", "create"}, {"sluice.dev", "rollouts/status", "patch"},
        {"", "pods", "delete"}, {"", "services", "patch"}, {"batch", "jobs", "create"}, {"sluice.dev", "analysisruns", "create"}}) {
      assertThat(allowed(watched, write)).as(String.join(" ", write) + " in the watched namespace").isTrue();
      assertThat(allowed(outside, write)).as(String.join(" ", write) + " outside it").isFalse();
      assertThat(allowed("", write)).as(String.join(" ", write) + " cluster-wide").isFalse();
    }

    // a Rollout created after it in the watched namespace is reconciled; the one outside stays untouched
    Rollouts inWatched = new Rollouts(admin, watched);
    inWatched.create(Rollouts.manifest("witness", 1, "registry.example/shop:1.0", "", "", "- setWeight: 50"));
    await("witness is reconciled").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .until(() -> inWatched.status("witness") != null && Rollouts.hasCondition(inWatched.status("witness"), "Healthy", "True"));
    assertThat(admin.resources(Rollout.class).inNamespace(outside).withName("elsewhere").get().getStatus()).isNull();
    assertThat(admin.apps().replicaSets().inNamespace(outside).list().getItems()).isEmpty();
  }

  private boolean allowed(String namespace, String[] groupResourceVerb) {
    String[] resource = groupResourceVerb[1].split("/");
    var review = asController.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
        .withNewSpec().withNewResourceAttributes().withNamespace(namespace).withGroup(groupResourceVerb[0])
        .withResource(resource[0]).withSubresource(resource.length > 1 ? resource[1] : null).withVerb(groupResourceVerb[2])
        .endResourceAttributes().endSpec().build());
    return Boolean.TRUE.equals(review.getStatus().getAllowed());
  }

  private static void assertForbidden(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(KubernetesClientException.class,
        e -> assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403));
  }

  private String createNamespace(String name) {
    admin.resource(new NamespaceBuilder().withNewMetadata().withName(name).addToLabels("sluice.dev/e2e", "true").endMetadata().build()).create();
    return name;
  }
}
