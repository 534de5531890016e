package dev.sluice.e2e;

import static dev.sluice.e2e.Rollouts.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.controller.rollout.PodTemplateHash;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A ReplicaSet or AnalysisRun that Sluice would create already exists under someone else: Sluice
 * does not touch it, says so on the Rollout (Progressing=False, NameTaken) and goes on once the
 * name is free.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NameCollisionE2ETest {
  private ControllerInJvm controller;
  private KubernetesClient k8s;
  private String namespace;
  private Rollouts rollouts;

  @BeforeAll
  void startController(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    controller = new ControllerInJvm(cluster, ns.name());
    this.k8s = k8s;
    this.namespace = ns.name();
    rollouts = new Rollouts(k8s, ns.name());
  }

  @AfterAll
  void stopController() {
    if (controller != null) controller.close();
  }

  private static ConditionFactory within(int seconds) {
    return await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100));
  }

  private String hashOf(String manifest) {
    return PodTemplateHash.of(k8s.getKubernetesSerialization().unmarshal(manifest, Rollout.class).getSpec().template());
  }

  private RolloutStatus awaitNameTaken(String name) {
    within(60).until(() -> condition(rollouts.status(name), "Progressing").filter(c -> "NameTaken".equals(c.reason())).isPresent());
    return rollouts.status(name);
  }

  private boolean healthy(String name) {
    RolloutStatus s = rollouts.status(name);
    return s != null && "Healthy".equals(s.phase());
  }

  @Test
  void aReplicaSetOfAnotherOwnerIsLeftAloneAndTheRolloutSaysSo() {
    String manifest = Rollouts.manifest("taken", 3, "registry.example/app:1.0", "", "", "- setWeight: 50\n- pause: {}");
    String name = "taken-" + hashOf(manifest);
    k8s.resource("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: %s
          labels: {app: someone-else}
        spec:
          replicas: 1
          selector:
            matchLabels: {app: someone-else}
          template:
            metadata:
              labels: {app: someone-else}
            spec:
              containers:
              - {name: app, image: registry.example/other:1.0}
        """.formatted(name)).inNamespace(namespace).create();

    rollouts.create(manifest);
    RolloutStatus stopped = awaitNameTaken("taken");

    assertThat(stopped.phase()).isEqualTo("Degraded");
    assertThat(stopped.message()).isEqualTo("NameTaken: ReplicaSet \"" + name + "\" already exists and is not owned by Rollout "
        + "\"taken\": Sluice leaves it alone; delete or rename it to go on");
    ReplicaSet theirs = k8s.apps().replicaSets().inNamespace(namespace).withName(name).get();
    assertThat(theirs.getSpec().getReplicas()).as("not scaled").isEqualTo(1);
    assertThat(theirs.getMetadata().getOwnerReferences()).as("not adopted").isEmpty();
    assertThat(theirs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("registry.example/other:1.0");

    k8s.apps().replicaSets().inNamespace(namespace).withName(name).delete();
    within(90).until(() -> healthy("taken"));
    assertThat(rollouts.replicaSet("taken", hashOf(manifest)).orElseThrow().getMetadata().getOwnerReferences())
        .singleElement().satisfies(o -> assertThat(o.getName()).isEqualTo("taken"));
  }

  @Test
  void anAnalysisRunOfAnotherOwnerIsNotTakenForTheStepsRun() {
    k8s.resource("""
        apiVersion: sluice.dev/v1alpha1
        kind: AnalysisTemplate
        metadata:
          name: smoke
        spec:
          metrics:
          - name: smoke-test
            provider:
              job:
                spec:
                  backoffLimit: 0
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - {name: smoke, image: registry.example/smoke:1.0}
        """).inNamespace(namespace).create();
    String steps = """
        - setWeight: 50
        - analysis:
            templates:
            - templateName: smoke
        """;
    rollouts.create(Rollouts.manifest("runs", 2, "registry.example/app:1.0", "", "", steps));
    within(60).until(() -> healthy("runs"));
    String v2 = hashOf(Rollouts.manifest("runs", 2, "registry.example/app:2.0", "", "", steps));
    String runName = "runs-" + v2 + "-2-1";
    k8s.resource("""
        apiVersion: sluice.dev/v1alpha1
        kind: AnalysisRun
        metadata:
          name: %s
          labels: {team: someone-else}
        spec:
          metrics:
          - name: theirs
            provider:
              job:
                spec:
                  backoffLimit: 0
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - {name: theirs, image: registry.example/theirs:fail}
        """.formatted(runName)).inNamespace(namespace).create();

    rollouts.setImage("runs", "registry.example/app:2.0");
    RolloutStatus stopped = awaitNameTaken("runs");

    assertThat(stopped.message()).isEqualTo("NameTaken: AnalysisRun \"" + runName + "\" already exists and is not owned by Rollout "
        + "\"runs\": Sluice leaves it alone; delete or rename it to go on");
    assertThat(stopped.stableRS()).as("not promoted").isNotEqualTo(v2);
    AnalysisRun theirs = k8s.resources(AnalysisRun.class).inNamespace(namespace).withName(runName).get();
    assertThat(theirs.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(theirs.getMetadata().getLabels()).containsOnlyKeys("team");

    k8s.resources(AnalysisRun.class).inNamespace(namespace).withName(runName).delete();
    within(90).until(() -> healthy("runs") && v2.equals(rollouts.status("runs").stableRS()));
    AnalysisRun ours = k8s.resources(AnalysisRun.class).inNamespace(namespace).withName(runName).get();
    assertThat(ours.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getName()).isEqualTo("runs"));
    assertThat(ours.getStatus().phase()).isEqualTo("Successful");
  }
}
