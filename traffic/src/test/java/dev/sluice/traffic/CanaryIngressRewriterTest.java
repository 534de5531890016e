package dev.sluice.traffic;

import static dev.sluice.traffic.Fixtures.exact;
import static dev.sluice.traffic.Fixtures.headerRoute;
import static dev.sluice.traffic.Fixtures.parse;
import static dev.sluice.traffic.Fixtures.prefix;
import static dev.sluice.traffic.Fixtures.regex;
import static dev.sluice.traffic.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.sluice.api.v1alpha1.CanaryStep.HeaderMatch;
import dev.sluice.api.v1alpha1.CanaryStep.SetHeaderRoute;
import dev.sluice.api.v1alpha1.TrafficRouting.Nginx;
import dev.sluice.traffic.CanaryIngressRewriter.HeaderRoute;
import dev.sluice.traffic.TrafficRoutingException.Reason;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanaryIngressRewriterTest {
  private static final String P = "nginx.ingress.kubernetes.io/";
  private static final List<String> MANAGED = List.of("header-beta");
  private static final OwnerReference OWNER = new OwnerReferenceBuilder().withApiVersion("sluice.dev/v1alpha1")
      .withKind("Rollout").withName("demo").withUid("uid-1").withController(true).withBlockOwnerDeletion(true).build();

  private static final String STABLE = """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: demo-ingress
        namespace: shop
        labels: {app: demo}
        annotations:
          kubernetes.io/ingress.class: nginx
          nginx.ingress.kubernetes.io/rewrite-target: /
          team: payments
      spec:
        ingressClassName: nginx
        tls: [{hosts: [demo.example.com], secretName: demo-tls}]
        rules:
        - host: demo.example.com
          http:
            paths:
            - {path: /, pathType: Prefix, backend: {service: {name: demo-stable, port: {number: 80}}}}
            - {path: /docs, pathType: Prefix, backend: {service: {name: docs, port: {number: 80}}}}
        - host: docs.example.com
          http:
            paths:
            - {path: /, pathType: Prefix, backend: {service: {name: docs, port: {number: 80}}}}
      """;

  private static Ingress stable() {
    return parse(STABLE, Ingress.class);
  }

  private static CanaryIngressRewriter rewriter(Nginx nginx) {
    return new CanaryIngressRewriter(nginx, "demo-canary", "demo-stable");
  }

  private static final CanaryIngressRewriter DEFAULT = rewriter(new Nginx("demo-ingress", null, null, null, null));

  @ParameterizedTest
  @ValueSource(ints = {0, 10, 50, 100})
  void canaryIngressCarriesTheWeight(int weight) {
    Ingress canary = DEFAULT.canaryIngress(stable(), null, "demo", OWNER, WeightSplit.of(weight, 100), null);

    assertThat(canary.getMetadata().getAnnotations())
        .containsEntry(P + "canary", "true")
        .containsEntry(P + "canary-weight", Integer.toString(weight))
        .doesNotContainKey(P + "canary-weight-total");
    assertThat(DEFAULT.canaryWeight(canary, 100)).contains(weight);
  }

  @Test
  void canaryIngressIsTheStableIngressLimitedToTheStablePathsNowGoingToTheCanary() {
    Ingress canary = DEFAULT.canaryIngress(stable(), null, "demo", OWNER, WeightSplit.of(10, 100), null);

    assertThat(tree(canary.getSpec())).isEqualTo(tree(parse("""
        ingressClassName: nginx
        tls: [{hosts: [demo.example.com], secretName: demo-tls}]
        rules:
        - host: demo.example.com
          http:
            paths:
            - {path: /, pathType: Prefix, backend: {service: {name: demo-canary, port: {number: 80}}}}
        """, Map.class)));
    assertThat(canary.getMetadata().getName()).isEqualTo("demo-ingress-demo-canary");
    assertThat(canary.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(canary.getMetadata().getOwnerReferences()).containsExactly(OWNER);
    assertThat(canary.getMetadata().getAnnotations()).containsOnly(
        entry("kubernetes.io/ingress.class", "nginx"), entry(P + "canary", "true"), entry(P + "canary-weight", "10"));
  }

  @Test
  void theStableIngressIsNotChanged() {
    Ingress stable = stable();

    DEFAULT.canaryIngress(stable, null, "demo", OWNER, WeightSplit.of(10, 100), null);

    assertThat(tree(stable)).isEqualTo(tree(stable()));
  }

  @Test
  void maxTrafficWeightBecomesTheWeightTotal() {
    Ingress canary = DEFAULT.canaryIngress(stable(), null, "demo", OWNER, WeightSplit.of(25, 1000), null);

    assertThat(canary.getMetadata().getAnnotations())
        .containsEntry(P + "canary-weight", "25")
        .containsEntry(P + "canary-weight-total", "1000");
    assertThat(DEFAULT.canaryWeight(canary, 1000)).contains(25);
  }

  @Test
  void additionalAnnotationsTakeThePrefixAndCanaryIngressAnnotationsAreCopiedAsTheyAre() {
    CanaryIngressRewriter custom = rewriter(new Nginx("demo-ingress", null, "custom.nginx.org",
        Map.of("canary-by-header", "X-Canary"), Map.of("example.com/owner", "sluice")));

    Ingress canary = custom.canaryIngress(stable(), null, "demo", OWNER, WeightSplit.of(10, 100), null);

    assertThat(canary.getMetadata().getAnnotations()).containsOnly(
        entry("kubernetes.io/ingress.class", "nginx"),
        entry("example.com/owner", "sluice"),
        entry("custom.nginx.org/canary-by-header", "X-Canary"),
        entry("custom.nginx.org/canary", "true"),
        entry("custom.nginx.org/canary-weight", "10"));
  }

  @Test
  void annotationsOthersPutOnTheCanaryIngressSurviveAndStaleOnesOfSluiceGo() {
    Ingress existing = DEFAULT.canaryIngress(stable(), null, "demo", OWNER, WeightSplit.of(25, 1000), null);
    existing.getMetadata().getAnnotations().put("monitoring.example.com/scrape", "true");
    existing.getMetadata().setLabels(Map.of("cost-center", "42"));

    Ingress canary = DEFAULT.canaryIngress(stable(), existing, "demo", OWNER, WeightSplit.of(30, 100), null);

    assertThat(canary.getMetadata().getAnnotations())
        .containsEntry("monitoring.example.com/scrape", "true")
        .containsEntry(P + "canary-weight", "30")
        .doesNotContainKey(P + "canary-weight-total");
    assertThat(canary.getMetadata().getLabels()).containsEntry("cost-center", "42");
    assertThat(canary.getMetadata().getOwnerReferences()).containsExactly(OWNER);
  }

  @Test
  void rewritingTwiceIsRewritingOnce() {
    HeaderRoute header = DEFAULT.headerRoute(headerRoute("header-beta", "X-Beta", exact("yes")), MANAGED);
    Ingress once = DEFAULT.canaryIngress(stable(), null, "demo", OWNER, WeightSplit.of(10, 100), header);

    Ingress twice = DEFAULT.canaryIngress(stable(), once, "demo", OWNER, WeightSplit.of(10, 100),
        DEFAULT.headerRouteIn(once).orElseThrow());

    assertThat(tree(twice)).isEqualTo(tree(once));
  }

  @Test
  void exactHeaderRouteUsesCanaryByHeaderValue() {
    HeaderRoute header = DEFAULT.headerRoute(headerRoute("header-beta", "X-Beta", exact("yes")), MANAGED);

    Ingress canary = DEFAULT.canaryIngress(stable(), null, "demo", OWNER, WeightSplit.of(0, 100), header);

    assertThat(canary.getMetadata().getAnnotations())
        .containsEntry(P + "canary-by-header", "X-Beta")
        .containsEntry(P + "canary-by-header-value", "yes")
        .containsEntry("sluice.dev/header-route", "header-beta")
        .doesNotContainKey(P + "canary-by-header-pattern");
    assertThat(DEFAULT.headerRouteIn(canary)).contains(header);
  }

  @Test
  void prefixAndRegexHeaderRoutesUseCanaryByHeaderPattern() {
    Ingress byPrefix = DEFAULT.canaryIngress(stable(), null, "demo", OWNER, WeightSplit.of(0, 100),
        DEFAULT.headerRoute(headerRoute("header-beta", "X-Version", prefix("v2.")), MANAGED));
    Ingress byRegex = DEFAULT.canaryIngress(stable(), null, "demo", OWNER, WeightSplit.of(0, 100),
        DEFAULT.headerRoute(headerRoute("header-beta", "X-Version", regex("v[23]")), MANAGED));

    assertThat(byPrefix.getMetadata().getAnnotations()).containsEntry(P + "canary-by-header-pattern", "^v2\\..*")
        .doesNotContainKey(P + "canary-by-header-value");
    assertThat(byRegex.getMetadata().getAnnotations()).containsEntry(P + "canary-by-header-pattern", "v[23]");
  }

  @Test
  void withoutAHeaderRouteTheHeaderAnnotationsGo() {
    Ingress withHeader = DEFAULT.canaryIngress(stable(), null, "demo", OWNER, WeightSplit.of(20, 100),
        DEFAULT.headerRoute(headerRoute("header-beta", "X-Beta", exact("yes")), MANAGED));

    Ingress without = DEFAULT.canaryIngress(stable(), withHeader, "demo", OWNER,
        WeightSplit.of(DEFAULT.weightIn(withHeader), 100), null);

    assertThat(tree(without)).isEqualTo(tree(DEFAULT.canaryIngress(stable(), null, "demo", OWNER, WeightSplit.of(20, 100), null)));
    assertThat(DEFAULT.headerRouteIn(without)).isEmpty();
  }

  @Test
  void moreThanOneHeaderIsUnsupported() {
    SetHeaderRoute two = new SetHeaderRoute("header-beta",
        List.of(new HeaderMatch("X-A", exact("1")), new HeaderMatch("X-B", exact("2"))));

    assertThatThrownBy(() -> DEFAULT.headerRoute(two, MANAGED))
        .isInstanceOfSatisfying(TrafficRoutingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED))
        .hasMessage("setHeaderRoute \"header-beta\": NGINX Ingress routes to the canary by one header only, not 2");
  }

  @Test
  void aHeaderRouteClashingWithAdditionalAnnotationsIsAnInvalidSpec() {
    CanaryIngressRewriter byHeader = rewriter(new Nginx("demo-ingress", null, null, Map.of("canary-by-header", "X-Canary"), null));

    assertThatThrownBy(() -> byHeader.headerRoute(headerRoute("header-beta", "X-Beta", exact("yes")), MANAGED))
        .hasMessageContaining("additionalIngressAnnotations already sets canary-by-header");
  }

  @Test
  void aStableIngressWithoutTheStableServiceIsMalformed() {
    Ingress other = parse(STABLE.replace("demo-stable", "someone-else"), Ingress.class);

    assertThatThrownBy(() -> DEFAULT.canaryIngress(other, null, "demo", OWNER, WeightSplit.of(10, 100), null))
        .isInstanceOfSatisfying(TrafficRoutingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessage("Ingress demo-ingress: no backend to Service demo-stable in spec.rules or spec.defaultBackend");
  }

  @Test
  void aDefaultBackendToTheStableServiceMovesToTheCanary() {
    Ingress withDefault = parse(STABLE.replace("  ingressClassName: nginx\n",
        "  ingressClassName: nginx\n  defaultBackend: {service: {name: demo-stable, port: {number: 80}}}\n"), Ingress.class);

    Ingress canary = DEFAULT.canaryIngress(withDefault, null, "demo", OWNER, WeightSplit.of(10, 100), null);

    assertThat(canary.getSpec().getDefaultBackend().getService().getName()).isEqualTo("demo-canary");
  }

  @Test
  void withoutACanaryIngressNoTrafficGoesToTheCanary() {
    assertThat(DEFAULT.canaryWeight(null, 100)).contains(0);
  }

  @Test
  void veryLongNamesAreCutToTheLimit() {
    String name = CanaryIngressRewriter.canaryIngressName("i".repeat(200), "r".repeat(100));

    assertThat(name).hasSize(253).startsWith("i".repeat(200) + "-r");
  }
}
