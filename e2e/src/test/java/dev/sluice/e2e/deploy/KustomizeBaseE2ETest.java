package dev.sluice.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubectl apply --server-side -k deploy/base}, the documented install, as the real API server sees it. */
@RealCluster
class KustomizeBaseE2ETest {
  private static final String NAMESPACE = "sluice-system";
  private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding");

  private static Manifests base;
  private static PodMonitorCrd podMonitorCrd;

  @BeforeAll
  static void render(LocalCluster cluster, KubernetesClient k8s) {
    base = Manifests.parse(cluster.kubectl("kustomize", "deploy/base"));
    podMonitorCrd = PodMonitorCrd.ensure(k8s);
  }

  @AfterAll
  static void removePodMonitorCrd() {
    if (podMonitorCrd != null) podMonitorCrd.close();
  }

  @Test
  void installsEveryGeneratedCrdAndKeepsEverythingElseInSluiceSystem(LocalCluster cluster) throws IOException {
    List<String> generated = new ArrayList<>();
    try (Stream<Path> files = Files.list(cluster.repoRoot().resolve("crds"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        generated.add(Manifests.name(new YAMLMapper().readTree(file.toFile())));
      }
    }

    assertThat(base.ofKind("CustomResourceDefinition")).extracting(Manifests::name)
        .as("crds/kustomization.yaml lists every generated CRD in crds/").containsExactlyInAnyOrderElementsOf(generated);
    assertThat(base.get("Namespace", NAMESPACE)).isNotNull();
    assertThat(base.objects()).allSatisfy(o -> {
      String kind = o.path("kind").asText();
      assertThat(Manifests.namespace(o)).as(kind + " " + Manifests.name(o))
          .isEqualTo(CLUSTER_SCOPED.contains(kind) ? null : NAMESPACE);
    });
  }

  @Test
  void theDashboardConfigMapIsTheCommittedDashboardForTheGrafanaSidecar(LocalCluster cluster) throws IOException {
    JsonNode configMap = base.get("ConfigMap", "sluice-dashboard");

    assertThat(configMap.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
    assertThat(configMap.path("data").path("sluice-dashboard.json").asText())
        .isEqualTo(Files.readString(cluster.repoRoot().resolve("deploy/grafana/sluice-dashboard.json")));
  }

  /** What breaks silently when one file is renamed: the pod's permissions, its Lease identity, probes and scraping. */
  @Test
  void theControllerPodIsWiredToItsPermissionsProbesAndPodMonitor() {
    JsonNode pod = base.get("Deployment", "sluice-controller").path("spec").path("template");
    JsonNode container = pod.path("spec").path("containers").get(0);
    String serviceAccount = pod.path("spec").path("serviceAccountName").asText();
    List<String> ports = container.path("ports").findValuesAsText("name");

    assertThat(base.get("ServiceAccount", serviceAccount)).isNotNull();
    for (JsonNode binding : List.of(base.get("ClusterRoleBinding", "sluice-controller"),
        base.get("RoleBinding", "sluice-controller-leader-election"))) {
      assertThat(binding.path("subjects")).singleElement().satisfies(s -> {
        assertThat(s.path("kind").asText()).isEqualTo("ServiceAccount");
        assertThat(s.path("name").asText()).isEqualTo(serviceAccount);
        assertThat(s.path("namespace").asText()).isEqualTo(NAMESPACE);
      });
    }
    assertThat(container.path("env")).anySatisfy(e -> {
      assertThat(e.path("name").asText()).isEqualTo("POD_NAME");
      assertThat(e.at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.name");
    }).anySatisfy(e -> {
      assertThat(e.path("name").asText()).isEqualTo("POD_NAMESPACE");
      assertThat(e.at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.namespace");
    });
    if (base.get("Deployment", "sluice-controller").path("spec").path("replicas").asInt(1) > 1) {
      assertThat(container.path("args")).as("more than one replica must not reconcile at once")
          .extracting(JsonNode::asText).contains("--leader-elect");
    }
    assertThat(List.of(container.at("/livenessProbe/httpGet/path").asText(), container.at("/readinessProbe/httpGet/path").asText()))
        .containsExactly("/healthz", "/readyz");
    assertThat(List.of(container.at("/livenessProbe/httpGet/port").asText(), container.at("/readinessProbe/httpGet/port").asText()))
        .allSatisfy(port -> assertThat(ports).contains(port));

    JsonNode podMonitor = base.get("PodMonitor", "sluice-controller").path("spec");
    podMonitor.path("selector").path("matchLabels").fields().forEachRemaining(label ->
        assertThat(pod.path("metadata").path("labels").path(label.getKey()).asText()).as("pod label " + label.getKey())
            .isEqualTo(label.getValue().asText()));
    assertThat(podMonitor.path("podMetricsEndpoints")).singleElement().satisfies(endpoint -> {
      assertThat(ports).contains(endpoint.path("port").asText());
      assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
      assertThat(endpoint.path("honorLabels").asBoolean()).as("keeps the rollouts' own namespace label").isTrue();
    });
  }

  /**
   * A server-side dry-run of the whole base. It goes into the test's namespace (an overlay changes
   * nothing but the namespace) because a dry-run does not create sluice-system, and the API server
   * refuses objects in a namespace that does not exist. The namespace warns about the "restricted"
   * Pod Security Standard, so a pod template that breaks it shows up as a warning.
   */
  @Test
  void aServerSideDryRunOfTheWholeBaseIsAcceptedAndMeetsTheRestrictedPodSecurityStandard(
      LocalCluster cluster, KubernetesClient k8s, TestNamespace ns, @TempDir Path dir) {
    k8s.namespaces().withName(ns.name()).edit(n -> {
      n.getMetadata().getLabels().put("pod-security.kubernetes.io/warn", "restricted");
      n.getMetadata().getLabels().put("pod-security.kubernetes.io/warn-version", "latest");
      return n;
    });
    Path overlay = KustomizeOverlay.write(dir.resolve("overlay"), cluster.repoRoot().resolve("deploy/base"), ns.name(), "");
    int objects = Manifests.parse(cluster.kubectl("kustomize", overlay.toString())).objects().size();

    // --force-conflicts: the test harness applied the same CRDs with its own field manager (fabric8),
    // which serializes them slightly differently; a cluster installed with kubectl alone has no such conflict
    String out = cluster.kubectl("apply", "--server-side", "--force-conflicts", "--dry-run=server", "-k", overlay.toString());

    System.out.println("[deploy] dry-run:\n" + out);
    assertThat(out.lines().filter(l -> l.endsWith(" serverside-applied (server dry run)"))).hasSize(objects);
    assertThat(objects).isEqualTo(base.objects().size());
    assertThat(out).doesNotContainIgnoringCase("warning");
  }
}
