package dev.sluice.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart deploy/helm/sluice: lint, the same objects as the kustomize base with its defaults,
 * what its values change, and both of its modes (cluster-wide and watched namespaces) as the real API
 * server sees them. {@link HelmNamespacedControllerE2ETest} runs the controller with the namespaced
 * chart's permissions.
 */
@RealCluster
class HelmChartE2ETest {
  /** Labels and annotations Helm adds for its own bookkeeping: everything else is deploy/base's. */
  private static final Set<String> HELM_LABELS = Set.of("helm.sh/chart", "app.kubernetes.io/managed-by",
      "app.kubernetes.io/instance", "app.kubernetes.io/version");
  private static final String KEEP = "helm.sh/resource-policy";
  private static final Set<String> READ = Set.of("get", "list", "watch");

  private static Helm helm;
  private static PodMonitorCrd podMonitorCrd;

  @BeforeAll
  static void buildHelm(LocalCluster cluster, KubernetesClient k8s) {
    helm = new Helm(cluster.repoRoot());
    System.out.println("[helm] " + helm.run("version").orThrow().stdout().strip());
    podMonitorCrd = PodMonitorCrd.ensure(k8s);
  }

  @AfterAll
  static void removePodMonitorCrd() {
    if (podMonitorCrd != null) podMonitorCrd.close();
  }

  @Test
  void lintsWithoutWarningsInBothModes() {
    for (List<String> values : List.of(List.<String>of(), List.of("--set", "watchNamespaces={team-a,team-b}", "--set", "replicas=1"))) {
      var args = new java.util.ArrayList<>(List.of("lint", "--strict", Helm.CHART));
      args.addAll(values);
      Helm.Result lint = helm.run(args.toArray(String[]::new));
      System.out.println("[helm] lint " + values + ":\n" + lint.stdout() + lint.stderr());

      assertThat(lint.exitCode()).as(lint.stdout() + lint.stderr()).isZero();
      assertThat(lint.stdout()).contains("1 chart(s) linted, 0 chart(s) failed").doesNotContain("[WARNING]", "[ERROR]");
    }
  }

  /** The one source of truth: the chart, with its defaults, is the kustomize base (less the Namespace, which Helm does not own). */
  @Test
  void withDefaultValuesItRendersExactlyTheKustomizeBase(LocalCluster cluster) {
    Map<String, JsonNode> base = byKey(Manifests.parse(cluster.kubectl("kustomize", "deploy/base")).objects().stream()
        .filter(o -> !"Namespace".equals(o.path("kind").asText())).map(HelmChartE2ETest::withoutKustomizeNamespace).toList());
    Map<String, JsonNode> chart = byKey(helm.template("sluice", "sluice-system").objects().stream().map(HelmChartE2ETest::withoutHelmBookkeeping).toList());

    assertThat(chart.keySet()).containsExactlyElementsOf(base.keySet());
    chart.forEach((key, object) -> assertThat(object).as(key).isEqualTo(base.get(key)));
  }

  @Test
  void theImageIsTheProjectsVersionAndItsEntrypointRunsTheController(LocalCluster cluster) throws IOException {
    String version = System.getProperty("sluice.version");
    JsonNode chartYaml = new YAMLMapper().readTree(cluster.repoRoot().resolve(Helm.CHART).resolve("Chart.yaml").toFile());
    JsonNode container = controllerContainer(helm.template("sluice", "sluice-system"));

    assertThat(version).isNotBlank();
    assertThat(chartYaml.path("appVersion").asText()).as("the chart's appVersion is pom.xml's version").isEqualTo(version);
    assertThat(chartYaml.path("version").asText()).isEqualTo(version);
    assertThat(container.path("image").asText()).isEqualTo("ghcr.io/sluice-dev/sluice-controller:" + version);
    assertThat(container.has("command")).as("flags only, through args").isFalse();
  }

  @Test
  void valuesShapeThePodAndItsFlags() {
    Manifests one = helm.template("sluice", "sluice-system", "replicas=1", "image.repository=registry.example/sluice",
        "image.tag=1.2.3", "image.pullPolicy=Always", "resources.limits.memory=1Gi", "extraArgs={--health-port,9090}",
        "installCRDs=false", "metrics.podMonitor.enabled=false", "metrics.dashboard.enabled=false");
    JsonNode deployment = one.get("Deployment", "sluice-controller");
    JsonNode container = controllerContainer(one);

    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(container.path("image").asText()).isEqualTo("registry.example/sluice:1.2.3");
    assertThat(container.path("imagePullPolicy").asText()).isEqualTo("Always");
    assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("1Gi");
    assertThat(texts(container.path("args"))).as("one replica: no leader election").containsExactly("--health-port", "9090");
    assertThat(one.ofKind("Role")).as("no Lease to take: only reading the notifications ConfigMap and Secret")
        .extracting(r -> r.at("/metadata/name").asText()).containsExactly("sluice-controller-notifications");
    assertThat(one.ofKind("CustomResourceDefinition")).isEmpty();
    assertThat(one.ofKind("PodMonitor")).isEmpty();
    assertThat(one.ofKind("ConfigMap")).isEmpty();

    Manifests three = helm.template("sluice", "sluice-system", "replicas=3", "metrics.podMonitor.labels.release=kube-prometheus-stack");
    assertThat(texts(controllerContainer(three).path("args"))).containsExactly("--leader-elect");
    assertThat(three.get("Role", "sluice-controller-leader-election")).isNotNull();
    assertThat(three.get("PodMonitor", "sluice-controller").at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
    assertThat(three.ofKind("CustomResourceDefinition")).hasSize(4).allSatisfy(crd ->
        assertThat(crd.at("/metadata/annotations").path(KEEP).asText()).as("helm uninstall keeps every Rollout").isEqualTo("keep"));
  }

  /** Watched namespaces: a Role and RoleBinding in each, the base's rules, and nothing cluster-wide but reading ClusterAnalysisTemplates. */
  @Test
  void watchedNamespacesGetRolesAndNoClusterWideWriteRights(LocalCluster cluster) {
    Manifests chart = helm.template("sluice", "sluice-system", "watchNamespaces={team-a,team-b}");
    JsonNode baseRules = Manifests.parse(cluster.kubectl("kustomize", "deploy/base")).get("ClusterRole", "sluice-controller").path("rules");

    assertThat(texts(controllerContainer(chart).path("args"))).containsExactly("--leader-elect", "--namespace", "team-a", "--namespace", "team-b");
    for (String ns : List.of("team-a", "team-b")) {
      JsonNode role = chart.ofKind("Role").stream().filter(r -> ns.equals(Manifests.namespace(r))).findFirst().orElseThrow();
      JsonNode binding = chart.ofKind("RoleBinding").stream().filter(r -> ns.equals(Manifests.namespace(r))).findFirst().orElseThrow();
      assertThat(role.path("rules")).as("the base's rules, less the cluster-scoped kind").isEqualTo(withoutClusterScopedTemplates(baseRules));
      assertThat(binding.at("/roleRef/name").asText()).isEqualTo(Manifests.name(role));
      assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("sluice-controller");
      assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo("sluice-system");
    }
    assertThat(chart.ofKind("ClusterRoleBinding")).singleElement().satisfies(b -> {
      JsonNode role = chart.get("ClusterRole", b.at("/roleRef/name").asText());
      assertThat(role.path("rules")).allSatisfy(rule -> assertThat(texts(rule.path("verbs"))).isSubsetOf(READ));
      assertThat(texts(role.at("/rules/0/resources"))).containsExactly("clusteranalysistemplates");
    });
  }

  @Test
  void badValuesAreRefusedWithTheFieldNamed() {
    for (var bad : Map.of("replicas=0", "replicas", "watchNamespaces=everything", "watchNamespaces",
        "watchNamespaces={Not_A_Namespace}", "watchNamespaces", "image.pullPolicy=Sometimes", "pullPolicy",
        "metrics.podMonitor=true", "podMonitor", "replica=2", "replica").entrySet()) {
      Helm.Result result = helm.run("template", "sluice", Helm.CHART, "--set", bad.getKey());

      assertThat(result.exitCode()).as(bad.getKey()).isNotZero();
      assertThat(result.stderr()).as(bad.getKey()).contains("values don't meet the specifications of the schema").contains(bad.getValue());
    }
  }

  @Test
  void theClusterWideRenderIsAcceptedByTheApiServer(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns, @TempDir Path dir) throws IOException {
    String yaml = helm.templateYaml("sluice", ns.name());
    assertThat(Manifests.parse(yaml).ofKind("ClusterRoleBinding")).hasSize(1);
    assertAcceptedByTheApiServer(cluster, k8s, ns, yaml, dir);
  }

  @Test
  void theNamespacedRenderIsAcceptedByTheApiServer(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns, @TempDir Path dir) throws IOException {
    String yaml = helm.templateYaml("sluice", ns.name(), "watchNamespaces={" + ns.name() + ",default}");
    assertThat(Manifests.parse(yaml).ofKind("RoleBinding")).extracting(Manifests::namespace).contains(ns.name(), "default");
    assertAcceptedByTheApiServer(cluster, k8s, ns, yaml, dir);
  }

  /**
   * {@code kubectl apply --server-side --dry-run=server} of everything rendered, with strict field
   * validation (kubectl's default) and the namespace warning about the "restricted" Pod Security Standard.
   */
  private static void assertAcceptedByTheApiServer(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns, String yaml, Path dir)
      throws IOException {
    k8s.namespaces().withName(ns.name()).edit(n -> {
      n.getMetadata().getLabels().put("pod-security.kubernetes.io/warn", "restricted");
      n.getMetadata().getLabels().put("pod-security.kubernetes.io/warn-version", "latest");
      return n;
    });
    Path file = Files.writeString(dir.resolve("rendered.yaml"), yaml);
    int objects = Manifests.parse(yaml).objects().size();

    // --force-conflicts: the test harness applied the same CRDs with its own field manager
    String out = cluster.kubectl("apply", "--server-side", "--force-conflicts", "--dry-run=server", "-f", file.toString());

    System.out.println("[helm] dry-run of " + objects + " objects:\n" + out);
    assertThat(out.lines().filter(l -> l.endsWith(" serverside-applied (server dry run)"))).hasSize(objects);
    assertThat(out).doesNotContainIgnoringCase("warning");
  }

  private static JsonNode controllerContainer(Manifests chart) {
    return chart.get("Deployment", "sluice-controller").at("/spec/template/spec/containers/0");
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static Map<String, JsonNode> byKey(List<JsonNode> objects) {
    Map<String, JsonNode> byKey = new TreeMap<>();
    for (JsonNode o : objects) {
      byKey.put(o.path("kind").asText() + " " + Manifests.namespace(o) + "/" + Manifests.name(o), o);
    }
    return byKey;
  }

  /**
   * kustomize does not know the admission policy kinds are cluster-scoped and gives them the base's
   * namespace; the API server drops it, so the comparison does too.
   */
  private static JsonNode withoutKustomizeNamespace(JsonNode object) {
    if (!object.path("kind").asText().startsWith("ValidatingAdmissionPolicy")) return object;
    ObjectNode copy = object.deepCopy();
    ((ObjectNode) copy.path("metadata")).remove("namespace");
    return copy;
  }

  private static JsonNode withoutHelmBookkeeping(JsonNode object) {
    ObjectNode copy = object.deepCopy();
    ObjectNode metadata = (ObjectNode) copy.path("metadata");
    if (metadata.get("labels") instanceof ObjectNode labels) labels.remove(HELM_LABELS);
    if (metadata.get("annotations") instanceof ObjectNode annotations) {
      annotations.remove(KEEP);
      if (annotations.isEmpty()) metadata.remove("annotations");
    }
    return copy;
  }

  private static JsonNode withoutClusterScopedTemplates(JsonNode rules) {
    ArrayNode copy = rules.deepCopy();
    for (JsonNode rule : copy) {
      ArrayNode resources = (ArrayNode) rule.path("resources");
      for (int i = resources.size() - 1; i >= 0; i--) {
        if ("clusteranalysistemplates".equals(resources.get(i).asText())) resources.remove(i);
      }
    }
    return copy;
  }
}
