package dev.sluice.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * get and list as a user sees them. The ReplicaSets are made by hand (the controller is not part
 * of these tests), but their pods are real: kube-controller-manager creates them and KWOK makes
 * them Ready, so the pod counts shown are the cluster's.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GetAndListE2ETest {
  private static final String CANARY_AT_STEP_2 = """
      {"phase":"Paused","message":"CanaryPauseStep","observedGeneration":1,"currentStepIndex":1,
       "currentPodHash":"bbb","stableRS":"aaa","replicas":3,"updatedReplicas":1,"readyReplicas":3,"availableReplicas":3,
       "pauseConditions":[{"reason":"CanaryPauseStep","startTime":"2025-03-01T12:00:00Z"}],
       "canary":{"weights":{"canary":{"podTemplateHash":"bbb","weight":20},"stable":{"podTemplateHash":"aaa","weight":80}}}}""";

  private KubectlSluice cli;
  private RolloutFixtures fixtures;
  private KubernetesClient k8s;
  private String namespace;

  @BeforeAll
  void setUp(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    this.k8s = k8s;
    cli = new KubectlSluice(cluster, ns.name());
    fixtures = new RolloutFixtures(k8s, ns.name());
    namespace = ns.name();
  }

  private void awaitReadyPods(String replicaSet, int ready) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      var rs = k8s.apps().replicaSets().inNamespace(namespace).withName(replicaSet).get();
      return rs.getStatus() != null && rs.getStatus().getReadyReplicas() != null && rs.getStatus().getReadyReplicas() == ready;
    });
  }

  @Test
  void getShowsTheStepWeightsReplicaSetsAndAnalysisRuns() {
    Rollout rollout = fixtures.create("shop", "registry.example/shop:2.0", "");
    fixtures.replicaSet(rollout, "old", 1, "registry.example/shop:1.0", 0);
    fixtures.replicaSet(rollout, "aaa", 2, "registry.example/shop:1.5", 2);
    fixtures.replicaSet(rollout, "bbb", 3, "registry.example/shop:2.0", 1);
    fixtures.setStatus("shop", CANARY_AT_STEP_2);
    fixtures.analysisRun(rollout, "shop-bbb-3", """
        {"phase":"Running","metricResults":[{"name":"success-rate","phase":"Running","count":2,"successful":2,
         "measurements":[{"phase":"Successful","value":"0.99"},{"phase":"Successful","value":"0.97"}]}]}""");
    awaitReadyPods("shop-aaa", 2);
    awaitReadyPods("shop-bbb", 1);

    KubectlSluice.Result result = cli.run("get", "rollout", "shop");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).contains(
        "Status:        Paused (CanaryPauseStep)",
        "Strategy:      Canary",
        "  Step:        2/4 pause (until promoted)",
        "  Weights:     canary 20% (bbb), stable 80% (aaa)",
        "Images:        registry.example/shop:2.0 (canary)",
        "               registry.example/shop:1.5 (stable)");
    assertThat(result.out().lines().filter(l -> l.startsWith("├── ") || l.startsWith("└── ")).toList()).satisfiesExactly(
        l -> assertThat(l).startsWith("├── shop-bbb  revision 3  canary  hash bbb  pods 1/1 ready, 1 available"),
        l -> assertThat(l).startsWith("├── shop-aaa  revision 2  stable  hash aaa  pods 2/2 ready, 2 available"),
        l -> assertThat(l).startsWith("└── shop-old  revision 1  old     hash old  scaled down"),
        l -> assertThat(l).startsWith("└── shop-bbb-3  Running"));
    assertThat(result.out()).contains("    └── success-rate  Running  2 measured, 2 successful  last: 0.99 (Successful), 0.97 (Successful)");
  }

  @Test
  void getWatchRedrawsWhenTheRolloutChanges() throws Exception {
    fixtures.create("watched", "registry.example/shop:2.0", "");
    fixtures.setStatus("watched", CANARY_AT_STEP_2);

    KubectlSluice.Running watch = cli.start("get", "rollout", "watched", "--watch");
    await().atMost(Duration.ofSeconds(30)).until(() -> watch.out().contains("Step:        2/4 pause (until promoted)"));
    fixtures.setStatus("watched", "{\"phase\":\"Progressing\",\"message\":null,\"pauseConditions\":null,\"currentStepIndex\":2}");
    await().atMost(Duration.ofSeconds(30)).until(() -> watch.out().contains("Step:        3/4 setWeight 50"));
    watch.interrupt();

    assertThat(watch.exitCode(Duration.ofSeconds(30))).isEqualTo(130);
    String[] frames = watch.out().split("\n(?=Name: )");
    assertThat(frames).hasSizeGreaterThanOrEqualTo(2);
    assertThat(frames[0]).contains("Status:        Paused (CanaryPauseStep)");
    assertThat(frames[frames.length - 1]).contains("Status:        Progressing").doesNotContain("CanaryPauseStep");
    assertThat(watch.err()).isEmpty();
  }

  @Test
  void listShowsTheRolloutsOfTheNamespaceAndWithDashAOfAll() {
    fixtures.create("list-a", "registry.example/a:1", "");
    fixtures.create("list-b", "registry.example/b:1", "");
    fixtures.setStatus("list-b", "{\"phase\":\"Healthy\",\"currentStepIndex\":4,\"readyReplicas\":2,\"availableReplicas\":2}");

    KubectlSluice.Result here = cli.run("list", "rollouts");
    KubectlSluice.Result all = cli.run("list", "rollouts", "-A");

    assertThat(here.exitCode()).isZero();
    // other tests of this class add rollouts to the namespace too: columns are as wide as the longest name
    assertThat(here.out().lines().findFirst().orElseThrow()).matches("NAME\\s+STRATEGY\\s+STATUS\\s+STEP\\s+WEIGHT\\s+READY\\s+AVAILABLE\\s+AGE");
    assertThat(here.out().lines()).anyMatch(l -> l.matches("list-a\\s+Canary\\s+-\\s+-/4\\s+-\\s+0/2\\s+0\\s+\\d+s"));
    assertThat(here.out().lines()).anyMatch(l -> l.matches("list-b\\s+Canary\\s+Healthy\\s+4/4\\s+-\\s+2/2\\s+2\\s+\\d+s"));
    assertThat(all.out().lines().findFirst().orElseThrow()).startsWith("NAMESPACE");
    assertThat(all.out().lines()).anyMatch(l -> l.startsWith(namespace + " ") && l.contains("list-a"));
  }

  @Test
  void listInAnEmptyNamespaceSaysSoOnStderr(LocalCluster cluster) {
    KubectlSluice.Result result = new KubectlSluice(cluster, "kube-public").run("list", "rollouts");

    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).containsExactly("No rollouts found in namespace \"kube-public\".");
    assertThat(result.exitCode()).isZero();
  }
}
