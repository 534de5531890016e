package dev.sluice.e2e.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.v1alpha1.CanaryStep.HeaderMatch;
import dev.sluice.api.v1alpha1.CanaryStep.SetHeaderRoute;
import dev.sluice.api.v1alpha1.CanaryStep.StringMatch;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.traffic.RouterContext;
import dev.sluice.traffic.TrafficRouter;
import dev.sluice.traffic.TrafficRouters;
import dev.sluice.traffic.TrafficRoutingException;
import dev.sluice.traffic.TrafficRoutingException.Reason;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SMI router: a TrafficSplit Sluice creates and owns, in the real API server. */
@RealCluster
class SmiRouterE2ETest {
  private static final String API_VERSION = "split.smi-spec.io/v1alpha2";

  @BeforeAll
  static void routingCrds(KubernetesClient k8s) {
    RoutingCrds.install(k8s);
  }

  private static final String ROUTING = """
              smi: {rootService: demo-root}
      """;

  @Test
  void trafficSplitIsCreatedOwnedByTheRolloutAndFollowsTheWeight(KubernetesClient k8s, TestNamespace ns) {
    Rollout rollout = RolloutOwners.create(k8s, ns.name(), "weights", ROUTING);
    RouterContext ctx = RouterContext.of(rollout, "c4n4ry", "st4bl3");
    TrafficRouter router = TrafficRouters.forRollout(k8s, rollout).orElseThrow();
    StoredObjects stored = new StoredObjects(k8s, ns.name());
    assertThat(router.currentWeight(ctx)).isEmpty();

    for (int weight : new int[] {10, 50, 100, 0}) {
      router.setWeight(ctx, weight);

      JsonNode split = stored.tree(API_VERSION, "TrafficSplit", "weights");
      assertThat(split.at("/spec")).as("at %d", weight).isEqualTo(StoredObjects.yaml("""
          service: demo-root
          backends:
          - {service: demo-canary, weight: %d}
          - {service: demo-stable, weight: %d}
          """.formatted(weight, 100 - weight)));
      assertThat(router.currentWeight(ctx)).contains(weight);
    }
    JsonNode owner = stored.tree(API_VERSION, "TrafficSplit", "weights").at("/metadata/ownerReferences/0");
    assertThat(owner.at("/kind").asText()).isEqualTo("Rollout");
    assertThat(owner.at("/uid").asText()).isEqualTo(rollout.getMetadata().getUid());

    k8s.resource(rollout).delete();
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> stored.get(API_VERSION, "TrafficSplit", "weights") == null);
  }

  @Test
  void labelsOthersPutOnTheTrafficSplitSurvive(KubernetesClient k8s, TestNamespace ns) {
    Rollout rollout = RolloutOwners.create(k8s, ns.name(), "labelled", ROUTING);
    RouterContext ctx = RouterContext.of(rollout, "c4n4ry", "st4bl3");
    TrafficRouter router = TrafficRouters.forRollout(k8s, rollout).orElseThrow();
    router.setWeight(ctx, 10);
    k8s.genericKubernetesResources(API_VERSION, "TrafficSplit").inNamespace(ns.name()).withName("labelled")
        .edit(split -> {
          split.getMetadata().setLabels(java.util.Map.of("mesh", "linkerd"));
          return split;
        });

    router.setWeight(ctx, 60);

    JsonNode split = new StoredObjects(k8s, ns.name()).tree(API_VERSION, "TrafficSplit", "labelled");
    assertThat(split.at("/metadata/labels/mesh").asText()).isEqualTo("linkerd");
    assertThat(split.at("/spec/backends/0/weight").asInt()).isEqualTo(60);
  }

  @Test
  void someoneElsesTrafficSplitIsNotTakenOver(KubernetesClient k8s, TestNamespace ns) {
    StoredObjects stored = new StoredObjects(k8s, ns.name());
    stored.create("""
        apiVersion: split.smi-spec.io/v1alpha2
        kind: TrafficSplit
        metadata: {name: foreign}
        spec:
          service: other-root
          backends: [{service: other, weight: 100}]
        """);
    Rollout rollout = RolloutOwners.create(k8s, ns.name(), "foreign", ROUTING);
    RouterContext ctx = RouterContext.of(rollout, "c4n4ry", "st4bl3");

    assertThatThrownBy(() -> TrafficRouters.forRollout(k8s, rollout).orElseThrow().setWeight(ctx, 10))
        .isInstanceOfSatisfying(TrafficRoutingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_OWNED))
        .hasMessage("TrafficSplit foreign already exists and is not controlled by Rollout foreign: rename or delete it");
    assertThat(stored.tree(API_VERSION, "TrafficSplit", "foreign").at("/spec/service").asText()).isEqualTo("other-root");
  }

  @Test
  void headerRoutesAreRefusedWithAClearMessage(KubernetesClient k8s, TestNamespace ns) {
    Rollout rollout = RolloutOwners.create(k8s, ns.name(), "header", ROUTING);
    RouterContext ctx = RouterContext.of(rollout, "c4n4ry", "st4bl3");

    assertThatThrownBy(() -> TrafficRouters.forRollout(k8s, rollout).orElseThrow().setHeaderRoute(ctx,
        new SetHeaderRoute("beta", List.of(new HeaderMatch("X-Beta", new StringMatch("yes", null, null))))))
        .isInstanceOfSatisfying(TrafficRoutingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED))
        .hasMessage("setHeaderRoute \"beta\": SMI TrafficSplit cannot route by header");
  }
}
