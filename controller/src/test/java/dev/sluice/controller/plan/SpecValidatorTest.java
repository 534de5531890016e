package dev.sluice.controller.plan;

import static dev.sluice.controller.plan.SpecBuilder.canaryScaleReplicas;
import static dev.sluice.controller.plan.SpecBuilder.headerRoute;
import static dev.sluice.controller.plan.SpecBuilder.mirrorRoute;
import static dev.sluice.controller.plan.SpecBuilder.pause;
import static dev.sluice.controller.plan.SpecBuilder.setWeight;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStrategy;
import dev.sluice.api.v1alpha1.TrafficRouting;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of spec the planner refuses: what the user sees, and that nothing is touched. */
class SpecValidatorTest {

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        invalid("both strategies", s -> s.blueGreen = new RolloutStrategy.BlueGreenStrategy("active", null, null, null, null, null),
            "spec.strategy: set exactly one of canary and blueGreen, got both"),
        invalid("no strategy", s -> s.canary = false,
            "spec.strategy: set exactly one of canary and blueGreen, got neither"),
        invalid("blueGreen only", s -> {
              s.canary = false;
              s.blueGreen = new RolloutStrategy.BlueGreenStrategy("active", null, null, null, null, null);
            },
            "spec.strategy.blueGreen: not supported yet; use spec.strategy.canary"),
        invalid("negative replicas", s -> s.replicas = -1, "spec.replicas: must be 0 or more, got -1"),
        invalid("missing selector", s -> s.selector = null, "spec.selector: required"),
        invalid("empty selector", s -> s.selector = new LabelSelector(),
            "spec.selector: must not be empty (it would select every pod in the namespace)"),
        invalid("selector not matching the template", s -> s.selector = selector("app", "api"),
            "spec.selector: does not match spec.template.metadata.labels"),
        invalid("missing template", s -> s.template = null, "spec.template: required"),
        invalid("workloadRef", s -> s.workloadRef = new RolloutSpec.WorkloadRef("apps/v1", "Deployment", "web", null),
            "spec.workloadRef: not supported yet; set spec.template"),
        invalid("setWeight above 100", s -> s.steps(setWeight(10), pause("1m"), setWeight(150)),
            "spec.strategy.canary.steps[2].setWeight: must be between 0 and 100, got 150"),
        invalid("setWeight below 0", s -> s.steps(setWeight(-5)),
            "spec.strategy.canary.steps[0].setWeight: must be between 0 and 100, got -5"),
        invalid("step with no action", s -> s.steps(setWeight(10), new CanaryStep(null, null, null, null, null, null)),
            "spec.strategy.canary.steps[1]: exactly one of setWeight, pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute must be set, got none"),
        invalid("step with two actions", s -> s.steps(new CanaryStep(20, new CanaryStep.Pause(null), null, null, null, null)),
            "spec.strategy.canary.steps[0]: exactly one of setWeight, pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute must be set, got setWeight, pause"),
        invalid("analysis step without templates", s -> s.steps(analysisStep(new RolloutAnalysis(null, null, null, null, null, null))),
            "spec.strategy.canary.steps[0].analysis.templates: at least one template is required"),
        invalid("analysis template without a name", s -> s.steps(setWeight(10), analysisStep(new RolloutAnalysis(
                List.of(new RolloutAnalysis.TemplateRef(" ", null)), null, null, null, null, null))),
            "spec.strategy.canary.steps[1].analysis.templates[0].templateName: required"),
        invalid("analysis argument without a name", s -> s.steps(analysisStep(withArgs(new AnalysisArgument(null, "x", null)))),
            "spec.strategy.canary.steps[0].analysis.args[0].name: required"),
        invalid("analysis argument given twice", s -> s.steps(analysisStep(withArgs(
                new AnalysisArgument("service", "a", null), new AnalysisArgument("service", "b", null)))),
            "spec.strategy.canary.steps[0].analysis.args[1].name: argument \"service\" is given twice"),
        invalid("analysis argument without a value", s -> s.steps(analysisStep(withArgs(new AnalysisArgument("service", null, null)))),
            "spec.strategy.canary.steps[0].analysis.args[0]: set exactly one of value and valueFrom for argument \"service\""),
        invalid("analysis argument from two sources", s -> s.steps(analysisStep(withArgs(new AnalysisArgument("hash", null,
                new AnalysisArgument.ValueFrom(null, new AnalysisArgument.FieldRef("metadata.name"), "Stable"))))),
            "spec.strategy.canary.steps[0].analysis.args[0].valueFrom: exactly one of secretKeyRef, fieldRef, podTemplateHashValue "
                + "must be set, got fieldRef, podTemplateHashValue"),
        invalid("analysis argument from an unknown hash", s -> s.steps(analysisStep(withArgs(new AnalysisArgument("hash", null,
                new AnalysisArgument.ValueFrom(null, null, "Canary"))))),
            "spec.strategy.canary.steps[0].analysis.args[0].valueFrom.podTemplateHashValue: must be Stable or Latest, got \"Canary\""),
        invalid("analysis argument from a Secret without a key", s -> s.steps(analysisStep(withArgs(new AnalysisArgument("token", null,
                new AnalysisArgument.ValueFrom(new AnalysisArgument.SecretKeyRef("prom", null), null, null))))),
            "spec.strategy.canary.steps[0].analysis.args[0].valueFrom.secretKeyRef.key: required"),
        invalid("startingStep on an analysis step", s -> s.steps(analysisStep(new RolloutAnalysis(ERROR_RATE, null, null, null, null, 0))),
            "spec.strategy.canary.steps[0].analysis.startingStep: only for background analysis (spec.strategy.canary.analysis)"),
        invalid("background analysis starting after the last step", s -> {
              s.steps(setWeight(10), pause("1m"));
              s.analysis = new RolloutAnalysis(ERROR_RATE, null, null, null, null, 3);
            },
            "spec.strategy.canary.analysis.startingStep: must be between 0 and 2 (the number of steps), got 3"),
        invalid("background analysis without templates", s -> s.analysis = new RolloutAnalysis(List.of(), null, null, null, null, null),
            "spec.strategy.canary.analysis.templates: at least one template is required"),
        invalid("dry-run entry without a metric", s -> s.analysis = new RolloutAnalysis(ERROR_RATE, null,
                List.of(new RolloutAnalysis.DryRun("")), null, null, null),
            "spec.strategy.canary.analysis.dryRun[0].metricName: required"),
        invalid("measurement retention of 0", s -> s.analysis = new RolloutAnalysis(ERROR_RATE, null, null,
                List.of(new RolloutAnalysis.MeasurementRetention("error-rate", 0)), null, null),
            "spec.strategy.canary.analysis.measurementRetention[0].limit: must be at least 1, got 0"),
        invalid("pause duration that does not parse", s -> s.steps(setWeight(10), pause("5 minutes")),
            "spec.strategy.canary.steps[1].pause.duration: invalid duration \"5 minutes\": expected integer seconds or a Go duration such as 30s, 5m, 1h30m, 250ms"),
        invalid("negative pause", s -> s.steps(new CanaryStep(null, new CanaryStep.Pause(new IntOrString(-3)), null, null, null, null)),
            "spec.strategy.canary.steps[0].pause.duration: invalid duration -3: must not be negative"),
        invalid("setCanaryScale with nothing", s -> s.steps(CanaryStep.canaryScale(new CanaryStep.SetCanaryScale(null, null, false))),
            "spec.strategy.canary.steps[0].setCanaryScale: exactly one of weight, replicas, matchTrafficWeight: true must be set, got none"),
        invalid("setCanaryScale with two", s -> s.steps(CanaryStep.canaryScale(new CanaryStep.SetCanaryScale(20, 3, null))),
            "spec.strategy.canary.steps[0].setCanaryScale: exactly one of weight, replicas, matchTrafficWeight: true must be set, got weight, replicas"),
        invalid("setCanaryScale weight out of range", s -> s.steps(CanaryStep.canaryScale(new CanaryStep.SetCanaryScale(120, null, null))),
            "spec.strategy.canary.steps[0].setCanaryScale.weight: must be between 0 and 100, got 120"),
        invalid("setCanaryScale negative replicas", s -> s.steps(canaryScaleReplicas(-1)),
            "spec.strategy.canary.steps[0].setCanaryScale.replicas: must be 0 or more, got -1"),
        invalid("maxSurge and maxUnavailable both 0", s -> s.surge(0, "0%"),
            "spec.strategy.canary.maxSurge, spec.strategy.canary.maxUnavailable: must not both be 0 (the update could never move)"),
        invalid("unparsable maxSurge", s -> s.surge("25 percent", null),
            "spec.strategy.canary.maxSurge: must be an integer or a percentage like \"25%\", got \"25 percent\""),
        invalid("unparsable maxUnavailable", s -> s.surge(null, "1.5%"),
            "spec.strategy.canary.maxUnavailable: must be an integer or a percentage like \"25%\", got \"1.5%\""),
        invalid("negative maxSurge", s -> s.surge(-1, null), "spec.strategy.canary.maxSurge: must not be negative, got -1"),
        invalid("maxUnavailable above 100%", s -> s.surge(null, "150%"),
            "spec.strategy.canary.maxUnavailable: must not be above 100%, got 150%"),
        invalid("negative abortScaleDownDelaySeconds", s -> s.abortScaleDownDelaySeconds = -1,
            "spec.strategy.canary.abortScaleDownDelaySeconds: must be 0 or more, got -1"),
        invalid("zero progressDeadlineSeconds", s -> s.progressDeadlineSeconds = 0,
            "spec.progressDeadlineSeconds: must be at least 1, got 0"),
        invalid("negative revisionHistoryLimit", s -> s.revisionHistoryLimit = -2,
            "spec.revisionHistoryLimit: must be 0 or more, got -2"),
        invalid("restartAt not a time", s -> s.restartAt = "tomorrow",
            "spec.restartAt: must be an RFC 3339 time such as 2024-05-01T10:00:00Z, got \"tomorrow\""),
        invalid("same canary and stable Service", s -> {
              s.canaryService = "web";
              s.stableService = "web";
            },
            "spec.strategy.canary.canaryService: must differ from stableService, both are \"web\""),
        invalid("trafficRouting with no router", s -> s.routing(routing(null, null, null, null)),
            "spec.strategy.canary.trafficRouting: set one of nginx, istio, smi, gatewayAPI"),
        invalid("two edge routers", s -> s.routing(routing(NGINX, null, null, GATEWAY)),
            "spec.strategy.canary.trafficRouting: nginx, gatewayAPI cannot be combined; combine at most one of nginx, "
                + "gatewayAPI (in front) with at most one of istio, smi (the mesh)"),
        invalid("two meshes", s -> s.routing(routing(null, ISTIO, SMI, null)),
            "spec.strategy.canary.trafficRouting: istio, smi cannot be combined; combine at most one of nginx, "
                + "gatewayAPI (in front) with at most one of istio, smi (the mesh)"),
        invalid("zero maxTrafficWeight", s -> s.routing(new TrafficRouting(null, null, null, GATEWAY, null, 0)),
            "spec.strategy.canary.trafficRouting.maxTrafficWeight: must be at least 1, got 0"),
        invalid("nginx without an ingress", s -> s.routing(routing(new TrafficRouting.Nginx(" ", List.of(), null, null, null), null, null, null)),
            "spec.strategy.canary.trafficRouting.nginx: set stableIngress or stableIngresses"),
        invalid("virtualService without a name", s -> s.routing(routing(null,
                new TrafficRouting.Istio(new TrafficRouting.VirtualService(null, null, null, null), null, null), null, null)),
            "spec.strategy.canary.trafficRouting.istio.virtualService.name: required"),
        invalid("destinationRule without a stable subset", s -> s.routing(routing(null,
                new TrafficRouting.Istio(ISTIO.virtualService(), null, new TrafficRouting.DestinationRule("web", "canary", null)),
                null, null)),
            "spec.strategy.canary.trafficRouting.istio.destinationRule.stableSubsetName: required"),
        invalid("gatewayAPI without a route", s -> s.routing(routing(null, null, null, new TrafficRouting.GatewayApi(null, null, null))),
            "spec.strategy.canary.trafficRouting.gatewayAPI: set httpRoute or httpRoutes"),
        invalid("a managed route listed twice", s -> s.gatewayApi("header-beta", "header-beta"),
            "spec.strategy.canary.trafficRouting.managedRoutes[1].name: \"header-beta\" is listed twice"),
        invalid("a managed route that cannot name an HTTPRoute rule", s -> s.gatewayApi("Beta_Users"),
            "spec.strategy.canary.trafficRouting.managedRoutes[0].name: must be lowercase letters, digits and '-' "
                + "(it names an HTTPRoute rule), got \"Beta_Users\""),
        invalid("router without stableService", s -> {
              s.gatewayApi();
              s.stableService = null;
            },
            "spec.strategy.canary.stableService: required with trafficRouting (the router sends the stable's share to it)"),
        invalid("router without canaryService", s -> {
              s.gatewayApi();
              s.canaryService = "";
            },
            "spec.strategy.canary.canaryService: required with trafficRouting (the router sends the canary's share to it)"),
        invalid("dynamicStableScale without a router", s -> s.dynamicStableScale = true,
            "spec.strategy.canary.dynamicStableScale: needs trafficRouting (without a router the stable's pods already follow the weight)"),
        invalid("scaleDownDelaySeconds without a router", s -> s.scaleDownDelaySeconds = 30,
            "spec.strategy.canary.scaleDownDelaySeconds: needs trafficRouting (without a router the old stable is scaled down as the canary grows)"),
        invalid("dynamicStableScale with scaleDownDelaySeconds", s -> {
              s.gatewayApi();
              s.dynamicStableScale = true;
              s.scaleDownDelaySeconds = 10;
            },
            "spec.strategy.canary.dynamicStableScale: cannot be combined with scaleDownDelaySeconds (the old stable has no pods left to keep)"),
        invalid("negative scaleDownDelaySeconds", s -> {
              s.gatewayApi();
              s.scaleDownDelaySeconds = -1;
            },
            "spec.strategy.canary.scaleDownDelaySeconds: must be 0 or more, got -1"),
        invalid("setWeight above maxTrafficWeight", s -> s.routing(new TrafficRouting(null, null, null, GATEWAY, null, 50))
                .steps(setWeight(60)),
            "spec.strategy.canary.steps[0].setWeight: must be between 0 and 50 (trafficRouting.maxTrafficWeight), got 60"),
        invalid("header route without a router", s -> s.steps(headerRoute("header-beta", "X-Beta", "yes")),
            "spec.strategy.canary.steps[0].setHeaderRoute: needs trafficRouting"),
        invalid("header route not in managedRoutes", s -> s.gatewayApi("mirror-api").steps(headerRoute("header-beta", "X-Beta", "yes")),
            "spec.strategy.canary.steps[0].setHeaderRoute.name: \"header-beta\" is not listed in spec.strategy.canary.trafficRouting.managedRoutes"),
        invalid("header route with SMI", s -> s.routing(new TrafficRouting(null, null, SMI, null, SpecBuilder.managed("header-beta"), null))
                .steps(headerRoute("header-beta", "X-Beta", "yes")),
            "spec.strategy.canary.steps[0].setHeaderRoute: SMI cannot route by header; use nginx, istio or gatewayAPI"),
        invalid("mirror route with NGINX", s -> s.routing(new TrafficRouting(NGINX, null, null, null, SpecBuilder.managed("mirror-api"), null))
                .steps(mirrorRoute("mirror-api", 10)),
            "spec.strategy.canary.steps[0].setMirrorRoute: NGINX Ingress cannot mirror traffic; use istio or gatewayAPI"),
        invalid("header match with two values", s -> s.gatewayApi("header-beta").steps(new CanaryStep(null, null, null, null,
                new CanaryStep.SetHeaderRoute("header-beta", List.of(new CanaryStep.HeaderMatch("X-Beta",
                    new CanaryStep.StringMatch("yes", "y", null)))), null)),
            "spec.strategy.canary.steps[0].setHeaderRoute.match[0].headerValue: set exactly one of exact, prefix, regex, got exact, prefix"),
        invalid("header match without a header name", s -> s.gatewayApi("header-beta").steps(new CanaryStep(null, null, null, null,
                new CanaryStep.SetHeaderRoute("header-beta", List.of(new CanaryStep.HeaderMatch(null,
                    new CanaryStep.StringMatch("yes", null, null)))), null)),
            "spec.strategy.canary.steps[0].setHeaderRoute.match[0].headerName: required"),
        invalid("mirror percentage above 100", s -> s.gatewayApi("mirror-api").steps(mirrorRoute("mirror-api", 120)),
            "spec.strategy.canary.steps[0].setMirrorRoute.percentage: must be between 0 and 100, got 120"),
        invalid("mirror method by prefix on Gateway API", s -> s.gatewayApi("mirror-api").steps(new CanaryStep(null, null, null, null,
                null, new CanaryStep.SetMirrorRoute("mirror-api", 10, List.of(new CanaryStep.RouteMatch(
                    new CanaryStep.StringMatch(null, "PO", null), null, null))))),
            "spec.strategy.canary.steps[0].setMirrorRoute.match[0].method: Gateway API matches a method only exactly; use exact"));
  }

  static final List<RolloutAnalysis.TemplateRef> ERROR_RATE = List.of(new RolloutAnalysis.TemplateRef("error-rate", null));

  static CanaryStep analysisStep(RolloutAnalysis analysis) {
    return new CanaryStep(null, null, null, analysis, null, null);
  }

  static RolloutAnalysis withArgs(AnalysisArgument... args) {
    return new RolloutAnalysis(ERROR_RATE, List.of(args), null, null, null, null);
  }

  static final TrafficRouting.Nginx NGINX = new TrafficRouting.Nginx("web", null, null, null, null);
  static final TrafficRouting.Istio ISTIO = new TrafficRouting.Istio(
      new TrafficRouting.VirtualService("web", null, null, null), null, null);
  static final TrafficRouting.Smi SMI = new TrafficRouting.Smi(null, null);
  static final TrafficRouting.GatewayApi GATEWAY = new TrafficRouting.GatewayApi("web-route", null, null);

  static TrafficRouting routing(TrafficRouting.Nginx nginx, TrafficRouting.Istio istio, TrafficRouting.Smi smi,
      TrafficRouting.GatewayApi gateway) {
    return new TrafficRouting(nginx, istio, smi, gateway, null, null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void anInvalidSpecGetsInvalidSpecNamingTheFieldAndNothingIsTouched(String what, Consumer<SpecBuilder> edit, String message) {
    FakeCluster c = new FakeCluster();
    c.settle();
    RolloutStatus healthy = c.status;
    edit.accept(c.spec);
    c.newTemplate("bbb");

    Plan plan = c.reconcile();

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.status().phase()).isEqualTo("Degraded");
    assertThat(plan.status().message()).isEqualTo(message);
    assertThat(plan.status().conditions()).filteredOn(cond -> cond.type().equals("InvalidSpec")).singleElement()
        .satisfies(cond -> {
          assertThat(cond.status()).isEqualTo("True");
          assertThat(cond.reason()).isEqualTo("InvalidSpec");
          assertThat(cond.message()).isEqualTo(message);
        });
    assertThat(plan.status().currentPodHash()).isEqualTo(healthy.currentPodHash());
    assertThat(plan.status().stableRS()).isEqualTo(healthy.stableRS());
    assertThat(plan.events()).extracting(Plan.RolloutEvent::reason).containsExactly("InvalidSpec");
  }

  @Test
  void acceptsAFullCanarySpec() {
    SpecBuilder spec = new SpecBuilder().steps(setWeight(0), setWeight(100), pause("1h30m"), pause(null), canaryScaleReplicas(0),
        CanaryStep.canaryScale(new CanaryStep.SetCanaryScale(null, null, true)));
    spec.surge("0%", 1);
    spec.restartAt = "2024-05-01T10:00:00.5+02:00";
    spec.canaryService = "web-canary";
    spec.stableService = "web-stable";
    spec.selector = new LabelSelectorBuilder().addNewMatchExpression().withKey("app").withOperator("In").withValues("web", "api")
        .endMatchExpression().build();
    assertThat(SpecValidator.validate(spec.build())).isEmpty();
  }

  @Test
  void acceptsStepAndBackgroundAnalysis() {
    SpecBuilder spec = new SpecBuilder().steps(setWeight(10), analysisStep(new RolloutAnalysis(
        List.of(new RolloutAnalysis.TemplateRef("error-rate", null), new RolloutAnalysis.TemplateRef("shared", true)),
        List.of(new AnalysisArgument("service", "web", null),
            new AnalysisArgument("hash", null, new AnalysisArgument.ValueFrom(null, null, "Latest")),
            new AnalysisArgument("name", null, new AnalysisArgument.ValueFrom(null, new AnalysisArgument.FieldRef("metadata.name"), null)),
            new AnalysisArgument("token", null, new AnalysisArgument.ValueFrom(new AnalysisArgument.SecretKeyRef("prom", "token"), null, null))),
        List.of(new RolloutAnalysis.DryRun("latency")), List.of(new RolloutAnalysis.MeasurementRetention("error-rate", 5)),
        new RolloutAnalysis.AnalysisRunMetadata(java.util.Map.of("team", "web"), null), null)), pause("1m"));
    spec.analysis = new RolloutAnalysis(ERROR_RATE, null, null, null, null, 2);
    assertThat(SpecValidator.validate(spec.build())).isEmpty();
  }

  @Test
  void acceptsTrafficRoutingWithHeaderAndMirrorRoutes() {
    SpecBuilder spec = new SpecBuilder().routing(new TrafficRouting(null, ISTIO, null, null,
        SpecBuilder.managed("header-beta", "mirror-api"), 1000));
    spec.steps(setWeight(5), headerRoute("header-beta", "X-Beta", "yes"), mirrorRoute("mirror-api", 25),
        new CanaryStep(null, null, null, null, new CanaryStep.SetHeaderRoute("header-beta", null), null), setWeight(1000));
    spec.dynamicStableScale = true;
    assertThat(SpecValidator.validate(spec.build())).isEmpty();
  }

  @Test
  void acceptsAnEdgeRouterInFrontOfAMesh() {
    SpecBuilder spec = new SpecBuilder().routing(routing(NGINX, null, SMI, null)).steps(setWeight(20));
    spec.scaleDownDelaySeconds = 0;
    spec.scaleDownDelayRevisionLimit = 2;
    assertThat(SpecValidator.validate(spec.build())).isEmpty();
  }

  @Test
  void istioSubsetsNeedNoServicesAsInArgoRollouts() {
    SpecBuilder spec = new SpecBuilder().routing(routing(null,
        new TrafficRouting.Istio(ISTIO.virtualService(), null, new TrafficRouting.DestinationRule("web", "canary", "stable")),
        null, null));
    spec.canaryService = null;
    spec.stableService = null;
    assertThat(SpecValidator.validate(spec.build())).isEmpty();
  }

  private static Arguments invalid(String what, Consumer<SpecBuilder> edit, String message) {
    return Arguments.of(what, edit, message);
  }

  private static LabelSelector selector(String key, String value) {
    return new LabelSelectorBuilder().addToMatchLabels(key, value).build();
  }
}
