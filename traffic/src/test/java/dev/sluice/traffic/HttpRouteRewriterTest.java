package dev.sluice.traffic;

import static dev.sluice.traffic.Fixtures.at;
import static dev.sluice.traffic.Fixtures.exact;
import static dev.sluice.traffic.Fixtures.headerRoute;
import static dev.sluice.traffic.Fixtures.mirrorRoute;
import static dev.sluice.traffic.Fixtures.parse;
import static dev.sluice.traffic.Fixtures.prefix;
import static dev.sluice.traffic.Fixtures.regex;
import static dev.sluice.traffic.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.traffic.TrafficRoutingException.Reason;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpRouteRewriterTest {
  private static final List<String> MANAGED = List.of("mirror-checkout", "header-beta");
  private static final HttpRouteRewriter REWRITER = new HttpRouteRewriter("demo-canary", "demo-stable", "shop");

  private static final String ROUTE = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: demo-route
        namespace: shop
        annotations: {team: payments}
      spec:
        parentRefs: [{name: public-gateway}]
        hostnames: [demo.example.com]
        rules:
        - matches: [{path: {type: PathPrefix, value: /api}}]
          filters:
          - type: RequestHeaderModifier
            requestHeaderModifier: {add: [{name: x-env, value: prod}]}
          backendRefs:
          - {name: demo-stable, port: 80, weight: 100}
          - {name: demo-canary, port: 80, weight: 0}
        - name: admin
          matches: [{path: {type: PathPrefix, value: /admin}}]
          backendRefs: [{name: admin, port: 8080}]
      """;

  private static GenericKubernetesResource route() {
    return parse(ROUTE, GenericKubernetesResource.class);
  }

  @ParameterizedTest
  @CsvSource({"0, 100", "10, 90", "50, 50", "100, 0"})
  void weightGoesToTheCanaryAndTheRestToTheStable(int canary, int stable) {
    GenericKubernetesResource out = REWRITER.withWeight(route(), WeightSplit.of(canary, 100));

    assertThat(at(out, "/spec/rules/0/backendRefs/0/name").asText()).isEqualTo("demo-stable");
    assertThat(at(out, "/spec/rules/0/backendRefs/0/weight").asInt()).isEqualTo(stable);
    assertThat(at(out, "/spec/rules/0/backendRefs/1/weight").asInt()).isEqualTo(canary);
    assertThat(REWRITER.canaryWeight(out, 100)).contains(canary);
  }

  @Test
  void onlyTheBackendWeightsChange() {
    GenericKubernetesResource out = REWRITER.withWeight(route(), WeightSplit.of(30, 100));

    JsonNode expected = tree(route());
    ((com.fasterxml.jackson.databind.node.ObjectNode) expected.at("/spec/rules/0/backendRefs/0")).put("weight", 70);
    ((com.fasterxml.jackson.databind.node.ObjectNode) expected.at("/spec/rules/0/backendRefs/1")).put("weight", 30);
    assertThat(tree(out)).isEqualTo(expected);
  }

  @Test
  void weightIsOutOfMaxTrafficWeight() {
    GenericKubernetesResource out = REWRITER.withWeight(route(), WeightSplit.of(250, 1000));

    assertThat(at(out, "/spec/rules/0/backendRefs/0/weight").asInt()).isEqualTo(750);
    assertThat(at(out, "/spec/rules/0/backendRefs/1/weight").asInt()).isEqualTo(250);
    assertThat(REWRITER.canaryWeight(out, 1000)).contains(250);
    assertThat(REWRITER.canaryWeight(out, 100)).contains(25);
  }

  @Test
  void everyRuleThatSendsToBothServicesIsWeighted() {
    GenericKubernetesResource twoRules = parse(ROUTE.replace("  - name: admin",
        "  - matches: [{path: {type: PathPrefix, value: /v2}}]\n"
            + "    backendRefs: [{name: demo-canary, port: 80}, {name: demo-stable, port: 80}]\n"
            + "  - name: admin"), GenericKubernetesResource.class);

    GenericKubernetesResource out = REWRITER.withWeight(twoRules, WeightSplit.of(40, 100));

    assertThat(at(out, "/spec/rules/1/backendRefs/0/weight").asInt()).isEqualTo(40);
    assertThat(at(out, "/spec/rules/1/backendRefs/1/weight").asInt()).isEqualTo(60);
    assertThat(REWRITER.canaryWeight(out, 100)).contains(40);
    assertThat(REWRITER.canaryWeight(REWRITER.withWeight(route(), WeightSplit.of(40, 100)), 100)).contains(40);
  }

  @Test
  void rulesThatDisagreeReportNoSingleWeight() {
    GenericKubernetesResource twoRules = parse(ROUTE.replace("  - name: admin",
        "  - matches: [{path: {type: PathPrefix, value: /v2}}]\n"
            + "    backendRefs: [{name: demo-canary, port: 80, weight: 1}, {name: demo-stable, port: 80, weight: 1}]\n"
            + "  - name: admin"), GenericKubernetesResource.class);

    assertThat(REWRITER.canaryWeight(twoRules, 100)).isEmpty();
  }

  @Test
  void backendRefsWithoutWeightCountAsOneEach() {
    GenericKubernetesResource unweighted = parse(ROUTE.replace(", weight: 100}", "}").replace(", weight: 0}", "}"),
        GenericKubernetesResource.class);

    assertThat(REWRITER.canaryWeight(unweighted, 100)).contains(50);
  }

  @Test
  void rewritingTwiceIsRewritingOnce() {
    GenericKubernetesResource once = REWRITER.withWeight(route(), WeightSplit.of(10, 100));
    once = REWRITER.withHeaderRoute(once, headerRoute("header-beta", "X-Beta", exact("yes")), MANAGED);
    once = REWRITER.withMirrorRoute(once, mirrorRoute("mirror-checkout", 20, null, exact("/api/checkout"), null), MANAGED);

    GenericKubernetesResource twice = REWRITER.withWeight(once, WeightSplit.of(10, 100));
    twice = REWRITER.withHeaderRoute(twice, headerRoute("header-beta", "X-Beta", exact("yes")), MANAGED);
    twice = REWRITER.withMirrorRoute(twice, mirrorRoute("mirror-checkout", 20, null, exact("/api/checkout"), null), MANAGED);

    assertThat(tree(twice)).isEqualTo(tree(once));
  }

  @Test
  void headerRouteIsANamedRuleSendingMatchingRequestsOfTheWeightedRuleToTheCanary() {
    GenericKubernetesResource out = REWRITER.withHeaderRoute(route(), headerRoute("header-beta", "X-Beta", exact("yes")), MANAGED);

    assertThat(at(out, "/spec/rules/0")).isEqualTo(tree(parse("""
        name: sluice-header-beta
        matches:
        - path: {type: PathPrefix, value: /api}
          headers: [{name: X-Beta, type: Exact, value: "yes"}]
        filters:
        - type: RequestHeaderModifier
          requestHeaderModifier: {add: [{name: x-env, value: prod}]}
        backendRefs: [{name: demo-canary, port: 80}]
        """, Map.class)));
    assertThat(at(out, "/spec/rules").size()).isEqualTo(3);
    assertThat(at(out, "/spec/rules/1")).isEqualTo(at(route(), "/spec/rules/0"));
    assertThat(at(out, "/spec/rules/2")).isEqualTo(at(route(), "/spec/rules/1"));
    assertThat(at(out, "/metadata/annotations/team").asText()).isEqualTo("payments");
  }

  @Test
  void headerPrefixAndRegexBecomeRegularExpressions() {
    GenericKubernetesResource byPrefix = REWRITER.withHeaderRoute(route(), headerRoute("header-beta", "X-Version", prefix("v1.2")), MANAGED);
    GenericKubernetesResource byRegex = REWRITER.withHeaderRoute(route(), headerRoute("header-beta", "X-Version", regex("v[0-9]+")), MANAGED);

    assertThat(at(byPrefix, "/spec/rules/0/matches/0/headers/0/type").asText()).isEqualTo("RegularExpression");
    assertThat(at(byPrefix, "/spec/rules/0/matches/0/headers/0/value").asText()).isEqualTo("^v1\\.2.*");
    assertThat(at(byRegex, "/spec/rules/0/matches/0/headers/0/value").asText()).isEqualTo("v[0-9]+");
  }

  @Test
  void settingAHeaderRouteAgainReplacesIt() {
    GenericKubernetesResource first = REWRITER.withHeaderRoute(route(), headerRoute("header-beta", "X-Beta", exact("yes")), MANAGED);
    GenericKubernetesResource second = REWRITER.withHeaderRoute(first, headerRoute("header-beta", "X-Beta", exact("please")), MANAGED);

    assertThat(at(second, "/spec/rules").size()).isEqualTo(3);
    assertThat(at(second, "/spec/rules/0/matches/0/headers/0/value").asText()).isEqualTo("please");
  }

  @Test
  void headerRouteWithoutMatchesRemovesItAndLeavesTheRouteAsItWas() {
    GenericKubernetesResource added = REWRITER.withHeaderRoute(route(), headerRoute("header-beta", "X-Beta", exact("yes")), MANAGED);

    GenericKubernetesResource removed = REWRITER.withHeaderRoute(added, Fixtures.removeHeaderRoute("header-beta"), MANAGED);

    assertThat(tree(removed)).isEqualTo(tree(route()));
  }

  @Test
  void managedRulesComeFirstInManagedRoutesOrder() {
    GenericKubernetesResource out = REWRITER.withHeaderRoute(route(), headerRoute("header-beta", "X-Beta", exact("yes")), MANAGED);
    out = REWRITER.withMirrorRoute(out, mirrorRoute("mirror-checkout", 50, exact("POST"), null, null), MANAGED);

    assertThat(at(out, "/spec/rules/0/name").asText()).isEqualTo("sluice-mirror-checkout");
    assertThat(at(out, "/spec/rules/1/name").asText()).isEqualTo("sluice-header-beta");
    assertThat(at(out, "/spec/rules/3/name").asText()).isEqualTo("admin");
  }

  @Test
  void mirrorRouteCopiesMatchingRequestsToTheCanaryWhileTheWeightedBackendsStillAnswer() {
    GenericKubernetesResource weighted = REWRITER.withWeight(route(), WeightSplit.of(10, 100));

    GenericKubernetesResource out = REWRITER.withMirrorRoute(weighted,
        mirrorRoute("mirror-checkout", 20, exact("POST"), prefix("/api/checkout"), Map.of("X-Shop", exact("eu"))), MANAGED);

    assertThat(at(out, "/spec/rules/0")).isEqualTo(tree(parse("""
        name: sluice-mirror-checkout
        matches:
        - path: {type: PathPrefix, value: /api/checkout}
          method: POST
          headers: [{name: X-Shop, type: Exact, value: eu}]
        filters:
        - type: RequestHeaderModifier
          requestHeaderModifier: {add: [{name: x-env, value: prod}]}
        - type: RequestMirror
          requestMirror:
            backendRef: {name: demo-canary, port: 80}
            percent: 20
        backendRefs:
        - {name: demo-stable, port: 80, weight: 90}
        - {name: demo-canary, port: 80, weight: 10}
        """, Map.class)));
  }

  @Test
  void weightChangesReachTheMirrorRule() {
    GenericKubernetesResource mirrored = REWRITER.withMirrorRoute(route(),
        mirrorRoute("mirror-checkout", 20, null, exact("/api/checkout"), null), MANAGED);

    GenericKubernetesResource out = REWRITER.withWeight(mirrored, WeightSplit.of(60, 100));

    assertThat(at(out, "/spec/rules/0/backendRefs/0/weight").asInt()).isEqualTo(40);
    assertThat(at(out, "/spec/rules/0/backendRefs/1/weight").asInt()).isEqualTo(60);
    assertThat(at(out, "/spec/rules/1/backendRefs/1/weight").asInt()).isEqualTo(60);
  }

  @Test
  void mirrorRouteWithoutMatchesRemovesIt() {
    GenericKubernetesResource mirrored = REWRITER.withMirrorRoute(route(),
        mirrorRoute("mirror-checkout", 20, null, exact("/api/checkout"), null), MANAGED);

    GenericKubernetesResource out = REWRITER.withMirrorRoute(mirrored, Fixtures.removeMirrorRoute("mirror-checkout"), MANAGED);

    assertThat(tree(out)).isEqualTo(tree(route()));
  }

  @Test
  void removingManagedRoutesLeavesOnlyTheUsersRulesWithTheirWeights() {
    GenericKubernetesResource weighted = REWRITER.withWeight(route(), WeightSplit.of(30, 100));
    GenericKubernetesResource out = REWRITER.withHeaderRoute(weighted, headerRoute("header-beta", "X-Beta", exact("yes")), MANAGED);
    out = REWRITER.withMirrorRoute(out, mirrorRoute("mirror-checkout", 20, null, exact("/api/checkout"), null), MANAGED);

    assertThat(tree(REWRITER.withoutManagedRoutes(out))).isEqualTo(tree(weighted));
    assertThat(tree(REWRITER.withoutManagedRoutes(route()))).isEqualTo(tree(route()));
  }

  @Test
  void aRouteWithoutTheCanaryServiceIsRejectedWithTheServiceName() {
    GenericKubernetesResource noCanary = parse(ROUTE.replace("{name: demo-canary, port: 80, weight: 0}", "{name: other, port: 80}"),
        GenericKubernetesResource.class);

    assertThatThrownBy(() -> REWRITER.withWeight(noCanary, WeightSplit.of(10, 100)))
        .isInstanceOfSatisfying(TrafficRoutingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessage("HTTPRoute demo-route: no backendRef to Service demo-canary in spec.rules");
    assertThatThrownBy(() -> REWRITER.canaryWeight(noCanary, 100)).isInstanceOf(TrafficRoutingException.class);
  }

  @Test
  void aRuleWithTheCanaryButNotTheStableIsNamed() {
    GenericKubernetesResource noStable = parse(ROUTE.replace("{name: demo-stable, port: 80, weight: 100}", "{name: old, port: 80}"),
        GenericKubernetesResource.class);

    assertThatThrownBy(() -> REWRITER.withWeight(noStable, WeightSplit.of(10, 100)))
        .hasMessage("HTTPRoute demo-route: spec.rules[0] has a backendRef to Service demo-canary but none to Service demo-stable");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{name: demo-canary, port: 80, weight: 0, kind: ServiceImport, group: multicluster.x-k8s.io}",
      "{name: demo-canary, port: 80, weight: 0, namespace: elsewhere}"})
  void aBackendThatIsNotTheCanaryServiceDoesNotCount(String backendRef) {
    GenericKubernetesResource other = parse(ROUTE.replace("{name: demo-canary, port: 80, weight: 0}", backendRef),
        GenericKubernetesResource.class);

    assertThatThrownBy(() -> REWRITER.withWeight(other, WeightSplit.of(10, 100)))
        .hasMessageContaining("no backendRef to Service demo-canary");
  }

  @Test
  void aRouteInAnotherNamespaceNamesTheServicesByNamespace() {
    GenericKubernetesResource elsewhere = parse(ROUTE.replace("namespace: shop", "namespace: gateways")
        .replace("{name: demo-stable, port: 80, weight: 100}", "{name: demo-stable, namespace: shop, port: 80}")
        .replace("{name: demo-canary, port: 80, weight: 0}", "{name: demo-canary, namespace: shop, port: 80}"),
        GenericKubernetesResource.class);

    GenericKubernetesResource out = REWRITER.withWeight(elsewhere, WeightSplit.of(10, 100));

    assertThat(at(out, "/spec/rules/0/backendRefs/1/weight").asInt()).isEqualTo(10);
  }

  @Test
  void anEmptyRouteIsRejected() {
    GenericKubernetesResource empty = parse("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: demo-route, namespace: shop}
        spec: {parentRefs: [{name: gw}]}
        """, GenericKubernetesResource.class);

    assertThatThrownBy(() -> REWRITER.withWeight(empty, WeightSplit.of(10, 100)))
        .hasMessage("HTTPRoute demo-route: spec.rules is empty");
  }

  @Test
  void managedRouteNotListedInManagedRoutesIsAnInvalidSpec() {
    assertThatThrownBy(() -> REWRITER.withHeaderRoute(route(), headerRoute("unlisted", "X-Beta", exact("yes")), MANAGED))
        .isInstanceOfSatisfying(TrafficRoutingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_SPEC))
        .hasMessage("setHeaderRoute \"unlisted\" is not listed in spec.strategy.canary.trafficRouting.managedRoutes");
  }

  @Test
  void managedRouteNameMustBeAValidRuleName() {
    assertThatThrownBy(() -> REWRITER.withHeaderRoute(route(), headerRoute("Beta_1", "X-Beta", exact("yes")), List.of("Beta_1")))
        .hasMessageContaining("allows only lowercase letters, digits and '-'");
  }

  @Test
  void methodCanOnlyBeMatchedExactly() {
    assertThatThrownBy(() -> REWRITER.withMirrorRoute(route(), mirrorRoute("mirror-checkout", 20, prefix("PO"), null, null), MANAGED))
        .isInstanceOfSatisfying(TrafficRoutingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED))
        .hasMessage("setMirrorRoute \"mirror-checkout\": Gateway API matches a method only exactly");
  }

  @Test
  void aHeaderMatchNeedsExactlyOneKindOfValue() {
    assertThatThrownBy(() -> REWRITER.withHeaderRoute(route(),
        headerRoute("header-beta", "X-Beta", new dev.sluice.api.v1alpha1.CanaryStep.StringMatch("a", "b", null)), MANAGED))
        .hasMessage("setHeaderRoute \"header-beta\" header X-Beta must set exactly one of exact, prefix, regex");
  }

  @Test
  void mirrorPercentageOutOfRangeIsAnInvalidSpec() {
    assertThatThrownBy(() -> REWRITER.withMirrorRoute(route(), mirrorRoute("mirror-checkout", 150, null, exact("/"), null), MANAGED))
        .hasMessage("setMirrorRoute \"mirror-checkout\": percentage must be within 0..100, not 150");
  }

  @Test
  void inputIsNeverModified() {
    GenericKubernetesResource input = route();
    JsonNode before = tree(input);

    REWRITER.withWeight(input, WeightSplit.of(50, 100));
    REWRITER.withHeaderRoute(input, headerRoute("header-beta", "X-Beta", exact("yes")), MANAGED);

    assertThat(tree(input)).isEqualTo(before);
  }
}
