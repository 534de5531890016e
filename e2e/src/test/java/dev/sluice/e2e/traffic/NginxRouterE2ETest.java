package dev.sluice.e2e.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.sluice.api.v1alpha1.CanaryStep.HeaderMatch;
import dev.sluice.api.v1alpha1.CanaryStep.RouteMatch;
import dev.sluice.api.v1alpha1.CanaryStep.SetHeaderRoute;
import dev.sluice.api.v1alpha1.CanaryStep.SetMirrorRoute;
import dev.sluice.api.v1alpha1.CanaryStep.StringMatch;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.traffic.RouterContext;
import dev.sluice.traffic.TrafficRouter;
import dev.sluice.traffic.TrafficRouters;
import dev.sluice.traffic.TrafficRoutingException;
import dev.sluice.traffic.TrafficRoutingException.Reason;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The NGINX router: a canary Ingress beside the user's stable Ingress, in the real API server. */
@RealCluster
class NginxRouterE2ETest {
  private static final String P = "nginx.ingress.kubernetes.io/";

  private static final String STABLE_INGRESS = """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: %s
        annotations: {team: payments, nginx.ingress.kubernetes.io/rewrite-target: /}
      spec:
        ingressClassName: nginx
        rules:
        - host: demo.example.com
          http:
            paths:
            - {path: /, pathType: Prefix, backend: {service: {name: demo-stable, port: {number: 80}}}}
            - {path: /docs, pathType: Prefix, backend: {service: {name: docs, port: {number: 80}}}}
      """;

  private static String routing(String stableIngress) {
    return """
                nginx:
                  stableIngress: %s
                  additionalIngressAnnotations: {canary-by-cookie: beta}
                managedRoutes: [{name: header-beta}]
        """.formatted(stableIngress);
  }

  private static Ingress ingress(KubernetesClient k8s, TestNamespace ns, String name) {
    return k8s.network().v1().ingresses().inNamespace(ns.name()).withName(name).get();
  }

  private record Setup(Rollout rollout, RouterContext ctx, TrafficRouter router) {}

  private static Setup setUp(KubernetesClient k8s, TestNamespace ns, String rolloutName, String stableIngress) {
    Rollout rollout = RolloutOwners.create(k8s, ns.name(), rolloutName, routing(stableIngress));
    RouterContext ctx = RouterContext.of(rollout, "c4n4ry", "st4bl3");
    return new Setup(rollout, ctx, TrafficRouters.forRollout(k8s, rollout).orElseThrow());
  }

  @Test
  void canaryIngressCarriesTheWeightAndTheStableIngressIsNeverTouched(KubernetesClient k8s, TestNamespace ns) {
    k8s.resource(STABLE_INGRESS.formatted("shop")).inNamespace(ns.name()).create();
    String stableVersion = ingress(k8s, ns, "shop").getMetadata().getResourceVersion();
    Setup s = setUp(k8s, ns, "weights", "shop");

    for (int weight : new int[] {10, 50, 100, 0}) {
      s.router().setWeight(s.ctx(), weight);

      Ingress canary = ingress(k8s, ns, "shop-weights-canary");
      assertThat(canary.getMetadata().getAnnotations()).as("at %d", weight).containsOnly(
          entry(P + "canary", "true"), entry(P + "canary-weight", Integer.toString(weight)), entry(P + "canary-by-cookie", "beta"));
      assertThat(s.router().currentWeight(s.ctx())).contains(weight);
    }
    Ingress canary = ingress(k8s, ns, "shop-weights-canary");
    assertThat(canary.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(canary.getSpec().getRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getHost()).isEqualTo("demo.example.com");
      assertThat(rule.getHttp().getPaths()).singleElement()
          .satisfies(path -> assertThat(path.getBackend().getService().getName()).isEqualTo("demo-canary"));
    });
    assertThat(canary.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
      assertThat(owner.getKind()).isEqualTo("Rollout");
      assertThat(owner.getUid()).isEqualTo(s.rollout().getMetadata().getUid());
    });
    assertThat(ingress(k8s, ns, "shop").getMetadata().getResourceVersion()).isEqualTo(stableVersion);

    s.router().setWeight(s.ctx(), 0);
    assertThat(ingress(k8s, ns, "shop-weights-canary").getMetadata().getResourceVersion())
        .as("the same weight again writes nothing").isEqualTo(canary.getMetadata().getResourceVersion());
  }

  @Test
  void headerRouteIsAddedAndRemovedWhileTheWeightStays(KubernetesClient k8s, TestNamespace ns) {
    k8s.resource(STABLE_INGRESS.formatted("header")).inNamespace(ns.name()).create();
    Setup s = setUp(k8s, ns, "beta", "header");
    s.router().setWeight(s.ctx(), 20);

    s.router().setHeaderRoute(s.ctx(), new SetHeaderRoute("header-beta", List.of(new HeaderMatch("X-Beta", exact("yes")))));

    assertThat(ingress(k8s, ns, "header-beta-canary").getMetadata().getAnnotations())
        .containsEntry(P + "canary-by-header", "X-Beta")
        .containsEntry(P + "canary-by-header-value", "yes")
        .containsEntry(P + "canary-weight", "20");

    s.router().removeManagedRoutes(s.ctx());

    assertThat(ingress(k8s, ns, "header-beta-canary").getMetadata().getAnnotations())
        .doesNotContainKeys(P + "canary-by-header", P + "canary-by-header-value")
        .containsEntry(P + "canary-weight", "20");
  }

  @Test
  void mirrorRoutesAreRefusedWithAClearMessage(KubernetesClient k8s, TestNamespace ns) {
    k8s.resource(STABLE_INGRESS.formatted("mirror")).inNamespace(ns.name()).create();
    Setup s = setUp(k8s, ns, "mirror", "mirror");

    assertThatThrownBy(() -> s.router().setMirrorRoute(s.ctx(),
        new SetMirrorRoute("header-beta", 10, List.of(new RouteMatch(exact("GET"), null, null)))))
        .isInstanceOfSatisfying(TrafficRoutingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED))
        .hasMessage("setMirrorRoute \"header-beta\": NGINX Ingress cannot mirror traffic to the canary");
  }

  @Test
  void aMissingStableIngressIsReportedByName(KubernetesClient k8s, TestNamespace ns) {
    Setup s = setUp(k8s, ns, "missing", "absent");

    assertThatThrownBy(() -> s.router().setWeight(s.ctx(), 10))
        .isInstanceOfSatisfying(TrafficRoutingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND))
        .hasMessage("Ingress absent (trafficRouting.nginx.stableIngress) not found in namespace " + ns.name());
    assertThat(ingress(k8s, ns, "absent-missing-canary")).isNull();
  }

  @Test
  void someoneElsesIngressWithTheCanaryNameIsNotTakenOver(KubernetesClient k8s, TestNamespace ns) {
    k8s.resource(STABLE_INGRESS.formatted("taken")).inNamespace(ns.name()).create();
    k8s.resource(STABLE_INGRESS.formatted("taken-clash-canary")).inNamespace(ns.name()).create();
    Setup s = setUp(k8s, ns, "clash", "taken");

    assertThatThrownBy(() -> s.router().setWeight(s.ctx(), 10))
        .isInstanceOfSatisfying(TrafficRoutingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_OWNED))
        .hasMessage("Ingress taken-clash-canary already exists and is not controlled by Rollout clash: rename or delete it");
    assertThat(ingress(k8s, ns, "taken-clash-canary").getMetadata().getAnnotations()).isEqualTo(
        Map.of("team", "payments", P + "rewrite-target", "/"));
  }

  @Test
  void deletingTheRolloutTakesTheCanaryIngressWithIt(KubernetesClient k8s, TestNamespace ns) {
    k8s.resource(STABLE_INGRESS.formatted("gc")).inNamespace(ns.name()).create();
    Setup s = setUp(k8s, ns, "gone", "gc");
    s.router().setWeight(s.ctx(), 10);
    assertThat(ingress(k8s, ns, "gc-gone-canary")).isNotNull();

    k8s.resource(s.rollout()).delete();

    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> ingress(k8s, ns, "gc-gone-canary") == null);
    assertThat(ingress(k8s, ns, "gc")).isNotNull();
  }

  private static StringMatch exact(String value) {
    return new StringMatch(value, null, null);
  }
}
