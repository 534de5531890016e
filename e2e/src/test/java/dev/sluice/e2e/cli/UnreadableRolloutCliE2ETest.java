package dev.sluice.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.cli.dashboard.ClusterCache;
import dev.sluice.cli.dashboard.DashboardServer;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.e2e.UnboundedRolloutCrd;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One Rollout of the namespace that kubectl-sluice's model cannot read stops no command about the
 * others, nor the dashboard. The CRD refuses such a Rollout now; it is stored as it could be with a
 * CRD from before the bounds (or one relaxed by hand): maxSurge 9000000000, which does not fit the
 * model's int.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnreadableRolloutCliE2ETest {
  private KubectlSluice cli;
  private KubernetesClient k8s;
  private String namespace;
  private String unreadableLine;

  @BeforeAll
  void setUp(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    this.k8s = k8s;
    namespace = ns.name();
    cli = new KubectlSluice(cluster, namespace);
    var fixtures = new RolloutFixtures(k8s, namespace);
    fixtures.create("alpha", "registry.example/a:1", "");
    fixtures.setStatus("alpha", "{\"phase\":\"Healthy\",\"observedGeneration\":1,\"readyReplicas\":2,\"availableReplicas\":2}");
    // untyped, as kubectl sends it: the typed model cannot even hold this number on the client side
    UnboundedRolloutCrd.whileInstalled(cluster, () -> k8s.genericKubernetesResources("sluice.dev/v1alpha1", "Rollout").inNamespace(namespace)
        .resource(Serialization.unmarshal("""
            apiVersion: sluice.dev/v1alpha1
            kind: Rollout
            metadata: {name: bravo}
            spec:
              replicas: 2
              selector: {matchLabels: {app: bravo}}
              template:
                metadata: {labels: {app: bravo}}
                spec: {containers: [{name: app, image: registry.example/b:1}]}
              strategy:
                canary:
                  maxSurge: 9000000000
                  steps: [{setWeight: 50}]
            """, GenericKubernetesResource.class)).create());
    fixtures.create("charlie", "registry.example/c:1", "");
    unreadableLine = "error: rollout \"" + namespace + "/bravo\" cannot be read by kubectl-sluice: spec.strategy.canary.maxSurge: "
        + "Cannot construct instance of IntOrString, problem: Either integer or string value needs to be provided (stored: 9000000000)";
  }

  @Test
  void listShowsTheOthersAndNamesTheUnreadableOneOnStderrWithExitOne() {
    KubectlSluice.Result here = cli.run("list", "rollouts");
    KubectlSluice.Result all = cli.run("list", "rollouts", "-A");
    System.out.printf("list rollouts -> exit %d%n%s%s", here.exitCode(), here.out(), here.err());

    assertThat(here.out().lines().map(l -> l.split("\\s+")[0]).toList()).containsExactly("NAME", "alpha", "charlie");
    assertThat(here.out().lines()).anyMatch(l -> l.matches("alpha\\s+Canary\\s+Healthy\\s+.*"));
    assertThat(here.errLines()).containsExactly(unreadableLine);
    assertThat(here.exitCode()).as("the list is incomplete").isEqualTo(1);

    assertThat(all.out().lines()).anyMatch(l -> l.startsWith(namespace + " ") && l.contains("alpha"))
        .anyMatch(l -> l.startsWith(namespace + " ") && l.contains("charlie"));
    assertThat(all.errLines()).contains(unreadableLine);
    assertThat(all.exitCode()).isEqualTo(1);
  }

  @Test
  void theOtherRolloutsCanBeReadAndTheUnreadableOneIsOneClearLine() {
    KubectlSluice.Result other = cli.run("get", "rollout", "alpha");
    KubectlSluice.Result status = cli.run("status", "alpha", "--watch=false");
    KubectlSluice.Result bad = cli.run("get", "rollout", "bravo");
    KubectlSluice.Result badStatus = cli.run("status", "bravo");
    KubectlSluice.Result badPromote = cli.run("promote", "bravo");
    System.out.printf("get rollout bravo -> exit %d: %s", bad.exitCode(), bad.err());

    assertThat(other.exitCode()).isZero();
    assertThat(other.out()).startsWith("Name:          alpha\n").contains("Status:        Healthy");
    assertThat(status.out()).isEqualTo("Healthy\n");
    assertThat(status.exitCode()).isZero();
    for (KubectlSluice.Result r : new KubectlSluice.Result[] {bad, badStatus, badPromote}) {
      assertThat(r.errLines()).containsExactly(unreadableLine);
      assertThat(r.out()).isEmpty();
      assertThat(r.exitCode()).isEqualTo(1);
    }
  }

  @Test
  void theDashboardListsTheOthersAndShowsTheUnreadableOneAsSuch() throws Exception {
    try (ClusterCache cache = ClusterCache.start(k8s, namespace);
        DashboardServer dashboard = DashboardServer.start(cache, k8s, 0, line -> {})) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> list = http.send(HttpRequest.newBuilder(dashboard.url().resolve("api/rollouts")).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> bad = http.send(HttpRequest.newBuilder(dashboard.url().resolve("api/rollouts/" + namespace + "/bravo")).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> good = http.send(HttpRequest.newBuilder(dashboard.url().resolve("api/rollouts/" + namespace + "/alpha")).build(),
          HttpResponse.BodyHandlers.ofString());
      System.out.printf("dashboard /api/rollouts -> %d %s%n/api/rollouts/%s/bravo -> %d %s%n", list.statusCode(), list.body(), namespace,
          bad.statusCode(), bad.body());

      assertThat(cache.failure()).as("the dashboard's watch keeps going").isEmpty();
      assertThat(list.statusCode()).isEqualTo(200);
      JsonNode rows = new ObjectMapper().readTree(list.body()).at("/namespaces/0/rollouts");
      assertThat(rows.findValuesAsText("name")).containsExactly("alpha", "bravo", "charlie");
      assertThat(rows.get(0).get("phase").asText()).isEqualTo("Healthy");
      assertThat(rows.get(1).get("phase").asText()).isEqualTo("Unreadable");
      assertThat(rows.get(1).get("message").asText()).isEqualTo(unreadableLine.substring("error: ".length()));
      assertThat(bad.statusCode()).isEqualTo(404);
      assertThat(bad.body()).contains("cannot be read by kubectl-sluice: spec.strategy.canary.maxSurge");
      assertThat(good.statusCode()).isEqualTo(200);
    }
  }
}
