package dev.sluice.e2e;

import static dev.sluice.e2e.Rollouts.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * spec.workloadRef on the real cluster: a Rollout takes its pod template from a Deployment that is
 * serving, scales that Deployment down as {@code scaleDown} says, and an edit of the Deployment's
 * template (what {@code kubectl set image deployment/...} does) starts a canary update.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkloadRefE2ETest {
  private ControllerInJvm controller;
  private Rollouts rollouts;
  private KubernetesClient k8s;
  private LocalCluster cluster;
  private String ns;

  @BeforeAll
  void startController(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    this.cluster = cluster;
    this.k8s = k8s;
    this.ns = ns.name();
    controller = new ControllerInJvm(cluster, ns.name());
    rollouts = new Rollouts(k8s, ns.name());
  }

  @AfterAll
  void stopController() {
    if (controller != null) controller.close();
  }

  private static ConditionFactory within(int seconds) {
    return await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100));
  }

  /** A Deployment serving {@code replicas} Ready pods of {@code image}, as before a migration. */
  private void serving(String name, int replicas, String image) {
    serving(name, replicas, image, "");
  }

  /** @param ports YAML for the container's ports (a list), or empty */
  private void serving(String name, int replicas, String image, String ports) {
    createDeployment(name, replicas, image, ports);
    within(60).until(() -> deploymentPodsReady(name) == replicas);
  }

  private void createDeployment(String name, int replicas, String image, String ports) {
    k8s.resource("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s}
        spec:
          replicas: %d
          selector:
            matchLabels: {app: %s}
          template:
            metadata:
              labels: {app: %s}
            spec:
              containers:
              - name: app
                image: %s
                ports: %s
        """.formatted(name, replicas, name, name, image, ports.isEmpty() ? "[]" : ports)).inNamespace(ns).create();
  }

  private String referencing(String name, int replicas, String scaleDown, String steps) {
    return """
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata: {name: %s}
        spec:
          replicas: %d
          selector:
            matchLabels: {app: %s}
          workloadRef: {apiVersion: apps/v1, kind: Deployment, name: %s, scaleDown: %s}
          strategy:
            canary:
              steps:
        %s
        """.formatted(name, replicas, name, name, scaleDown, steps.strip().lines().map(l -> "      " + l)
        .reduce((a, b) -> a + "\n" + b).orElse(""));
  }

  private Deployment deployment(String name) {
    return k8s.apps().deployments().inNamespace(ns).withName(name).get();
  }

  private int deploymentReplicas(String name) {
    return deployment(name).getSpec().getReplicas();
  }

  private static boolean ready(Pod p) {
    return p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Ready pods of the Deployment's own ReplicaSets (they carry Kubernetes' pod-template-hash, not Sluice's). */
  private int deploymentPodsReady(String name) {
    return (int) k8s.pods().inNamespace(ns).withLabel("app", name).withLabel("pod-template-hash").list().getItems().stream()
        .filter(WorkloadRefE2ETest::ready).count();
  }

  /** Ready pods of the Rollout's ReplicaSets, by Sluice's pod-template-hash. */
  private Map<String, Integer> rolloutPodsReady(String name) {
    Map<String, Integer> counts = new java.util.TreeMap<>();
    k8s.pods().inNamespace(ns).withLabel("app", name).withLabel(SluiceLabels.POD_TEMPLATE_HASH).list().getItems().stream()
        .filter(WorkloadRefE2ETest::ready)
        .forEach(p -> counts.merge(p.getMetadata().getLabels().get(SluiceLabels.POD_TEMPLATE_HASH), 1, Integer::sum));
    return counts;
  }

  private int rolloutAvailable(String name) {
    return k8s.apps().replicaSets().inNamespace(ns).withLabel("app", name).withLabel(SluiceLabels.POD_TEMPLATE_HASH)
        .list().getItems().stream()
        .mapToInt(rs -> rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null ? 0 : rs.getStatus().getAvailableReplicas())
        .sum();
  }

  private String image(ReplicaSet rs) {
    return rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private RolloutStatus awaitHealthyOn(String name, java.util.function.Predicate<RolloutStatus> also) {
    within(90).until(() -> {
      RolloutStatus s = rollouts.status(name);
      return s != null && "Healthy".equals(s.phase()) && hasCondition(s, "Healthy", "True")
          && Objects.equals(s.stableRS(), s.currentPodHash()) && also.test(s);
    });
    return rollouts.status(name);
  }

  private void log(String name, String what) {
    RolloutStatus s = rollouts.status(name);
    System.out.printf("[workloadRef %s] %-44s phase=%s step=%s stable=%s current=%s rollout ready pods=%s | Deployment spec.replicas=%d ready pods=%d%n",
        name, what, s.phase(), s.currentStepIndex(), s.stableRS(), s.currentPodHash(), rolloutPodsReady(name),
        deploymentReplicas(name), deploymentPodsReady(name));
  }

  @Test
  void onsuccessTakesOverFromTheDeploymentAndAnEditOfItsTemplateStartsACanaryUpdate() {
    serving("shop", 3, "registry.example/shop:1.0");
    rollouts.create(referencing("shop", 3, "onsuccess", """
        - setWeight: 33
        - pause: {}
        - setWeight: 66
        - pause: {duration: 2s}
        """));

    RolloutStatus first = awaitHealthyOn("shop", s -> true);
    ReplicaSet stable = rollouts.replicaSet("shop", first.stableRS()).orElseThrow();
    assertThat(image(stable)).as("the pod template is the Deployment's").isEqualTo("registry.example/shop:1.0");
    within(60).until(() -> deploymentReplicas("shop") == 0 && deploymentPodsReady("shop") == 0);
    log("shop", "Healthy from the Deployment's template");
    assertThat(rolloutPodsReady("shop")).containsExactly(Map.entry(first.stableRS(), 3));

    // what `kubectl set image deployment/shop app=registry.example/shop:2.0` does
    cluster.kubectl("set", "image", "-n", ns, "deployment/shop", "app=registry.example/shop:2.0");
    within(90).until(() -> {
      RolloutStatus s = rollouts.status("shop");
      return s != null && "Paused".equals(s.phase()) && !first.stableRS().equals(s.currentPodHash())
          && Integer.valueOf(1).equals(s.currentStepIndex())
          && rolloutPodsReady("shop").getOrDefault(s.currentPodHash(), 0) == 1;
    });
    RolloutStatus paused = rollouts.status("shop");
    log("shop", "after set image: canary at step 1 (pause)");
    assertThat(paused.stableRS()).isEqualTo(first.stableRS());
    assertThat(image(rollouts.replicaSet("shop", paused.currentPodHash()).orElseThrow())).isEqualTo("registry.example/shop:2.0");
    assertThat(deploymentReplicas("shop")).as("the Deployment is not scaled up again by its new template").isZero();
    assertThat(deploymentPodsReady("shop")).isZero();

    rollouts.promote("shop");
    java.util.Set<Integer> steps = new java.util.concurrent.ConcurrentSkipListSet<>();
    within(90).until(() -> {
      RolloutStatus s = rollouts.status("shop");
      if (s.currentStepIndex() != null) steps.add(s.currentStepIndex());
      return paused.currentPodHash().equals(s.stableRS());
    });
    RolloutStatus second = awaitHealthyOn("shop", s -> s.stableRS().equals(paused.currentPodHash()));
    System.out.println("[workloadRef shop] step indexes seen after the promote: " + steps);
    assertThat(steps).as("the timed pause at step 3 was walked through").contains(3);
    within(60).until(() -> rolloutPodsReady("shop").equals(Map.of(second.stableRS(), 3)));
    log("shop", "Healthy on the Deployment's new template");
    assertThat(deploymentReplicas("shop")).isZero();
    assertThat(deployment("shop").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .as("the Deployment's template is the user's, untouched").isEqualTo("registry.example/shop:2.0");
  }

  /**
   * A migration bound by capacity: the template asks for a host port, so a node runs one such pod.
   * With one node free, the Rollout gets one pod; the Deployment gives up a pod for it, which frees
   * a node for the next, and so on: the handover goes one pod at a time.
   */
  @Test
  void progressivelyScalesTheDeploymentDownAsTheRolloutsPodsBecomeAvailable() {
    int nodes = (int) k8s.nodes().list().getItems().stream()
        .filter(n -> n.getSpec().getUnschedulable() == null || !n.getSpec().getUnschedulable())
        .filter(n -> n.getSpec().getTaints() == null || n.getSpec().getTaints().stream().noneMatch(t -> "NoSchedule".equals(t.getEffect())))
        .count();
    assertThat(nodes).as("schedulable nodes").isGreaterThanOrEqualTo(2);
    int replicas = nodes - 1;
    serving("cart", replicas, "registry.example/cart:1.0", "[{containerPort: 8080, hostPort: 31871}]");
    // every change of the Deployment's replicas, with the Rollout's available pods read right after it;
    // and, on the same timeline, the Rollout's ReplicaSet's available pods as its watch reports them
    List<String> changes = new CopyOnWriteArrayList<>();
    List<String> timeline = new CopyOnWriteArrayList<>();
    List<int[]> seen = new CopyOnWriteArrayList<>();
    try (Watch rsWatch = k8s.apps().replicaSets().inNamespace(ns).withLabel("app", "cart").withLabel(SluiceLabels.POD_TEMPLATE_HASH)
        .watch(new Watcher<>() {
          private int last;

          @Override
          public void eventReceived(Action action, ReplicaSet rs) {
            int available = rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null ? 0 : rs.getStatus().getAvailableReplicas();
            if (available != last) {
              timeline.add("Rollout pods available " + available);
              last = available;
            }
          }

          @Override
          public void onClose(WatcherException cause) {}
        });
        Watch watch = k8s.apps().deployments().inNamespace(ns).withName("cart").watch(new Watcher<>() {
      private Integer last = replicas;

      @Override
      public void eventReceived(Action action, Deployment d) {
        Integer now = d.getSpec().getReplicas();
        if (!Objects.equals(now, last)) {
          timeline.add("Deployment " + last + "->" + now);
          int available = rolloutAvailable("cart");
          seen.add(new int[] {last, now, available});
          changes.add(last + "->" + now + " (Rollout pods available: " + available + ")");
          last = now;
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    })) {
      rollouts.create(referencing("cart", replicas, "progressively", "- setWeight: 50\n- pause: {}"));
      awaitHealthyOn("cart", s -> true);
      within(60).until(() -> !seen.isEmpty() && seen.get(seen.size() - 1)[1] == 0);
    }
    System.out.println("[workloadRef cart] " + nodes + " nodes, one host-port pod each; Deployment spec.replicas changes, watched: "
        + changes);
    System.out.println("[workloadRef cart] timeline of both watches: " + timeline);
    log("cart", "Healthy, progressively");
    for (int[] change : seen) {
      assertThat(change[1]).as("only ever scaled down: " + changes).isLessThan(change[0]);
      assertThat(change[1]).as("never below what the Rollout's available pods cover: " + changes)
          .isGreaterThanOrEqualTo(Math.max(0, replicas - change[2]));
    }
    assertThat(seen).as("one pod at a time: " + changes).hasSize(replicas);
    assertThat(deploymentReplicas("cart")).isZero();
    assertThat(rolloutPodsReady("cart").values()).containsExactly(replicas);
  }

  @Test
  void aRolloutWhoseDeploymentIsMissingWaitsAndItsCreationWakesIt() {
    rollouts.create(referencing("late", 2, "onsuccess", "- setWeight: 50\n- pause: {}"));
    // it waits (and what it wrote has stopped waking it): only the Deployment's creation can wake it after this
    within(60).during(Duration.ofSeconds(3)).until(() -> {
      RolloutStatus s = rollouts.status("late");
      return s != null && hasCondition(s, "InvalidSpec", "True") && s.message() != null
          && s.message().startsWith("spec.workloadRef.name: Deployment \"late\" not found");
    });
    RolloutStatus waiting = rollouts.status("late");
    System.out.printf("[workloadRef late] before the Deployment exists: phase=%s message=%s%n", waiting.phase(), waiting.message());
    assertThat(waiting.phase()).isEqualTo("Degraded");
    assertThat(k8s.apps().replicaSets().inNamespace(ns).withLabel("app", "late").list().getItems()).isEmpty();

    createDeployment("late", 2, "registry.example/late:1.0", "");
    RolloutStatus healthy = awaitHealthyOn("late", s -> true);
    within(60).until(() -> deploymentReplicas("late") == 0);
    log("late", "Deployment created: Healthy");
    assertThat(hasCondition(healthy, "InvalidSpec", "True")).isFalse();
  }

  @Test
  void neverLeavesTheDeploymentAsItIs() {
    serving("blog", 2, "registry.example/blog:1.0");
    rollouts.create(referencing("blog", 2, "never", "- setWeight: 50\n- pause: {}"));
    awaitHealthyOn("blog", s -> true);
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
        .until(() -> deploymentReplicas("blog") == 2 && deploymentPodsReady("blog") == 2);
    log("blog", "Healthy, never: the Deployment keeps its pods");
  }
}
