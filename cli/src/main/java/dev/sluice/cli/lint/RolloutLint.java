package dev.sluice.cli.lint;

import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.CanaryStrategy;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutStrategy;
import dev.sluice.api.v1alpha1.TrafficRouting;
import dev.sluice.cli.yaml.FieldPath;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules a Rollout spec must follow, reporting every problem with its path. They follow the
 * controller's SpecValidator (which stops at the first problem and is internal to the controller)
 * and add the checks of the API reference for analysis and route steps.
 */
public final class RolloutLint {
  private static final FieldPath SPEC = FieldPath.root().field("spec");
  private static final FieldPath CANARY = SPEC.field("strategy").field("canary");
  private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  private RolloutLint() {}

  public static List<Problem> check(Rollout rollout) {
    Checks checks = new Checks();
    RolloutSpec spec = rollout.getSpec();
    if (spec == null) {
      checks.add(SPEC, "required");
      return checks.problems();
    }
    checks.atLeast(SPEC.field("replicas"), spec.replicas(), 0);
    checks.atLeast(SPEC.field("minReadySeconds"), spec.minReadySeconds(), 0);
    checks.atLeast(SPEC.field("revisionHistoryLimit"), spec.revisionHistoryLimit(), 0);
    checks.atLeast(SPEC.field("progressDeadlineSeconds"), spec.progressDeadlineSeconds(), 1);
    if (spec.workloadRef() != null) {
      checks.add(SPEC.field("workloadRef"), "not supported yet by the Sluice controller; set spec.template");
    }
    selectorAndTemplate(checks, spec);
    restartAt(checks, spec.restartAt());
    if (spec.rollbackWindow() != null) {
      checks.atLeast(SPEC.field("rollbackWindow").field("revisions"), spec.rollbackWindow().revisions(), 0);
    }
    strategy(checks, spec.strategy());
    return checks.problems();
  }

  private static void selectorAndTemplate(Checks checks, RolloutSpec spec) {
    FieldPath selectorPath = SPEC.field("selector");
    if (spec.selector() == null) {
      checks.add(selectorPath, "required");
    } else if (LabelSelectors.isEmpty(spec.selector())) {
      checks.add(selectorPath, "must not be empty (it would select every pod in the namespace)");
    } else {
      List<LabelSelectorRequirement> expressions = LabelSelectors.expressions(spec.selector());
      for (int i = 0; i < expressions.size(); i++) {
        String operator = expressions.get(i).getOperator();
        if (!OPERATORS.contains(operator)) {
          checks.add(selectorPath.field("matchExpressions").index(i).field("operator"),
              "must be one of In, NotIn, Exists, DoesNotExist, got " + operator);
        }
      }
    }
    if (spec.template() == null) {
      if (spec.workloadRef() == null) checks.add(SPEC.field("template"), "required");
      return;
    }
    var labels = spec.template().getMetadata() == null ? null : spec.template().getMetadata().getLabels();
    if (spec.selector() != null && !LabelSelectors.isEmpty(spec.selector()) && !LabelSelectors.matches(spec.selector(), labels)) {
      checks.add(selectorPath, "does not match spec.template.metadata.labels");
    }
    var podSpec = spec.template().getSpec();
    if (podSpec == null || podSpec.getContainers() == null || podSpec.getContainers().isEmpty()) {
      checks.add(SPEC.field("template").field("spec").field("containers"), "required: at least one container");
    } else {
      for (int i = 0; i < podSpec.getContainers().size(); i++) {
        var container = podSpec.getContainers().get(i);
        FieldPath path = SPEC.field("template").field("spec").field("containers").index(i);
        checks.required(path.field("name"), container.getName());
        checks.required(path.field("image"), container.getImage());
      }
    }
  }

  private static void restartAt(Checks checks, String restartAt) {
    if (restartAt == null) return;
    try {
      OffsetDateTime.parse(restartAt);
    } catch (DateTimeParseException e) {
      checks.add(SPEC.field("restartAt"), "must be an RFC 3339 time such as 2024-05-01T10:00:00Z, got \"" + restartAt + "\"");
    }
  }

  private static void strategy(Checks checks, RolloutStrategy strategy) {
    FieldPath path = SPEC.field("strategy");
    if (strategy == null || (strategy.canary() == null && strategy.blueGreen() == null)) {
      checks.add(path, "set exactly one of canary and blueGreen, got neither");
      return;
    }
    if (strategy.canary() != null && strategy.blueGreen() != null) {
      checks.add(path, "set exactly one of canary and blueGreen, got both");
      return;
    }
    if (strategy.blueGreen() != null) {
      checks.add(path.field("blueGreen"), "not supported yet by the Sluice controller; use spec.strategy.canary");
      return;
    }
    canary(checks, strategy.canary());
  }

  private static void canary(Checks checks, CanaryStrategy canary) {
    checks.intOrPercent(CANARY.field("maxSurge"), canary.maxSurge(), true);
    checks.intOrPercent(CANARY.field("maxUnavailable"), canary.maxUnavailable(), true);
    if (Checks.isPercentAbove100(canary.maxUnavailable())) {
      checks.add(CANARY.field("maxUnavailable"), "must not be above 100%, got " + canary.maxUnavailable().getStrVal());
    }
    if (Checks.isZero(canary.maxSurge()) && Checks.isZero(canary.maxUnavailable())) {
      checks.add(CANARY.field("maxUnavailable"), "maxSurge and maxUnavailable must not both be 0 (the update could never move)");
    }
    checks.atLeast(CANARY.field("scaleDownDelaySeconds"), canary.scaleDownDelaySeconds(), 0);
    checks.atLeast(CANARY.field("scaleDownDelayRevisionLimit"), canary.scaleDownDelayRevisionLimit(), 0);
    checks.atLeast(CANARY.field("abortScaleDownDelaySeconds"), canary.abortScaleDownDelaySeconds(), 0);
    if (canary.canaryService() != null && canary.canaryService().equals(canary.stableService())) {
      checks.add(CANARY.field("canaryService"), "must differ from stableService, both are \"" + canary.canaryService() + "\"");
    }
    TrafficRouting routing = canary.trafficRouting();
    if (routing != null) {
      trafficRouting(checks, canary, routing);
    } else {
      // the controller's rules: these only mean something when a router moves the traffic
      if (Boolean.TRUE.equals(canary.dynamicStableScale())) {
        checks.add(CANARY.field("dynamicStableScale"), "needs trafficRouting (without a router the stable's pods already follow the weight)");
      }
      if (canary.scaleDownDelaySeconds() != null) {
        checks.add(CANARY.field("scaleDownDelaySeconds"), "needs trafficRouting (without a router the old stable is scaled down as the canary grows)");
      }
    }
    if (Boolean.TRUE.equals(canary.dynamicStableScale()) && canary.scaleDownDelaySeconds() != null) {
      checks.add(CANARY.field("dynamicStableScale"), "cannot be combined with scaleDownDelaySeconds (the old stable has no pods left to keep)");
    }
    int maxWeight = routing != null && routing.maxTrafficWeight() != null ? routing.maxTrafficWeight() : 100;
    List<CanaryStep> steps = canary.steps() == null ? List.of() : canary.steps();
    for (int i = 0; i < steps.size(); i++) {
      step(checks, CANARY.field("steps").index(i), steps.get(i), routing, maxWeight);
    }
    if (canary.analysis() != null) {
      FieldPath path = CANARY.field("analysis");
      analysis(checks, path, canary.analysis());
      checks.between(path.field("startingStep"), canary.analysis().startingStep(), 0, steps.size());
    }
  }

  private static void trafficRouting(Checks checks, CanaryStrategy canary, TrafficRouting routing) {
    FieldPath path = CANARY.field("trafficRouting");
    List<String> routers = Checks.present("nginx", routing.nginx(), "istio", routing.istio(), "smi", routing.smi(),
        "gatewayAPI", routing.gatewayAPI());
    if (routers.isEmpty()) {
      checks.add(path, "set one of nginx, istio, smi, gatewayAPI");
    }
    // Istio subset-level routing alone splits by DestinationRule subsets, not by Services (as in Argo)
    boolean istioSubsetsOnly = routers.equals(List.of("istio")) && routing.istio().destinationRule() != null;
    if (!istioSubsetsOnly) {
      checks.required(CANARY.field("canaryService"), canary.canaryService());
      checks.required(CANARY.field("stableService"), canary.stableService());
    }
    checks.atLeast(path.field("maxTrafficWeight"), routing.maxTrafficWeight(), 1);
    if (routing.nginx() != null && routing.nginx().stableIngress() == null
        && (routing.nginx().stableIngresses() == null || routing.nginx().stableIngresses().isEmpty())) {
      checks.add(path.field("nginx").field("stableIngress"), "required (or stableIngresses)");
    }
    if (routing.istio() != null && routing.istio().virtualService() == null
        && (routing.istio().virtualServices() == null || routing.istio().virtualServices().isEmpty())) {
      checks.add(path.field("istio").field("virtualService"), "required (or virtualServices)");
    }
    if (routing.gatewayAPI() != null && routing.gatewayAPI().httpRoute() == null
        && (routing.gatewayAPI().httpRoutes() == null || routing.gatewayAPI().httpRoutes().isEmpty())) {
      checks.add(path.field("gatewayAPI").field("httpRoute"), "required (or httpRoutes)");
    }
    Set<String> seen = new HashSet<>();
    List<TrafficRouting.ManagedRoute> managed = routing.managedRoutes() == null ? List.of() : routing.managedRoutes();
    for (int i = 0; i < managed.size(); i++) {
      FieldPath name = path.field("managedRoutes").index(i).field("name");
      String value = managed.get(i) == null ? null : managed.get(i).name();
      checks.required(name, value);
      if (value != null && !seen.add(value)) checks.add(name, "\"" + value + "\" is listed twice");
    }
  }

  private static void step(Checks checks, FieldPath path, CanaryStep step, TrafficRouting routing, int maxWeight) {
    if (step == null) {
      checks.add(path, "empty step: set one of setWeight, pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute");
      return;
    }
    List<String> set = Checks.present("setWeight", step.setWeight(), "pause", step.pause(),
        "setCanaryScale", step.setCanaryScale(), "analysis", step.analysis(),
        "setHeaderRoute", step.setHeaderRoute(), "setMirrorRoute", step.setMirrorRoute());
    if (set.size() != 1) {
      checks.add(path, "set exactly one of setWeight, pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute per step, got "
          + (set.isEmpty() ? "none" : String.join(", ", set)));
      return;
    }
    if (step.setWeight() != null) {
      checks.between(path.field("setWeight"), step.setWeight(), 0, maxWeight);
    } else if (step.pause() != null) {
      checks.duration(path.field("pause").field("duration"), step.pause().duration());
    } else if (step.setCanaryScale() != null) {
      CanaryStep.SetCanaryScale scale = step.setCanaryScale();
      FieldPath scalePath = path.field("setCanaryScale");
      checks.exactlyOne(scalePath, "weight", scale.weight(), "replicas", scale.replicas(),
          "matchTrafficWeight", Boolean.TRUE.equals(scale.matchTrafficWeight()) ? Boolean.TRUE : null);
      checks.between(scalePath.field("weight"), scale.weight(), 0, 100);
      checks.atLeast(scalePath.field("replicas"), scale.replicas(), 0);
    } else if (step.analysis() != null) {
      analysis(checks, path.field("analysis"), step.analysis());
    } else if (step.setHeaderRoute() != null) {
      headerRoute(checks, path.field("setHeaderRoute"), step.setHeaderRoute(), routing);
    } else {
      mirrorRoute(checks, path.field("setMirrorRoute"), step.setMirrorRoute(), routing);
    }
  }

  private static void analysis(Checks checks, FieldPath path, RolloutAnalysis analysis) {
    List<RolloutAnalysis.TemplateRef> templates = analysis.templates();
    if (templates == null || templates.isEmpty()) {
      checks.add(path.field("templates"), "required: at least one template");
    } else {
      for (int i = 0; i < templates.size(); i++) {
        checks.required(path.field("templates").index(i).field("templateName"),
            templates.get(i) == null ? null : templates.get(i).templateName());
      }
    }
    arguments(checks, path.field("args"), analysis.args(), false);
  }

  /** Shared with AnalysisTemplateLint: names unique, at most one source per argument. */
  static void arguments(Checks checks, FieldPath path, List<AnalysisArgument> args, boolean template) {
    if (args == null) return;
    Set<String> names = new HashSet<>();
    for (int i = 0; i < args.size(); i++) {
      AnalysisArgument arg = args.get(i);
      FieldPath argPath = path.index(i);
      if (arg == null) {
        checks.add(argPath, "empty argument");
        continue;
      }
      checks.required(argPath.field("name"), arg.name());
      if (arg.name() != null && !names.add(arg.name())) {
        checks.add(argPath.field("name"), "argument \"" + arg.name() + "\" is defined twice");
      }
      if (arg.value() != null && arg.valueFrom() != null) {
        checks.add(argPath, "set value or valueFrom, not both");
      }
      if (!template && arg.value() == null && arg.valueFrom() == null) {
        checks.add(argPath, "set value or valueFrom");
      }
      if (arg.valueFrom() != null) {
        AnalysisArgument.ValueFrom from = arg.valueFrom();
        FieldPath fromPath = argPath.field("valueFrom");
        checks.exactlyOne(fromPath, "secretKeyRef", from.secretKeyRef(), "fieldRef", from.fieldRef(),
            "podTemplateHashValue", from.podTemplateHashValue());
        if (from.podTemplateHashValue() != null && !Set.of("Stable", "Latest").contains(from.podTemplateHashValue())) {
          checks.add(fromPath.field("podTemplateHashValue"), "must be Stable or Latest, got \"" + from.podTemplateHashValue() + "\"");
        }
        if (from.secretKeyRef() != null) {
          checks.required(fromPath.field("secretKeyRef").field("name"), from.secretKeyRef().name());
          checks.required(fromPath.field("secretKeyRef").field("key"), from.secretKeyRef().key());
        }
        if (from.fieldRef() != null) {
          checks.required(fromPath.field("fieldRef").field("fieldPath"), from.fieldRef().fieldPath());
        }
      }
    }
  }

  private static void headerRoute(Checks checks, FieldPath path, CanaryStep.SetHeaderRoute route, TrafficRouting routing) {
    managedRoute(checks, path, route.name(), routing);
    List<CanaryStep.HeaderMatch> matches = route.match() == null ? List.of() : route.match();
    for (int i = 0; i < matches.size(); i++) {
      CanaryStep.HeaderMatch match = matches.get(i);
      FieldPath matchPath = path.field("match").index(i);
      if (match == null) {
        checks.add(matchPath, "empty match");
        continue;
      }
      checks.required(matchPath.field("headerName"), match.headerName());
      if (match.headerValue() == null) {
        checks.add(matchPath.field("headerValue"), "required");
      } else {
        stringMatch(checks, matchPath.field("headerValue"), match.headerValue());
      }
    }
  }

  private static void mirrorRoute(Checks checks, FieldPath path, CanaryStep.SetMirrorRoute route, TrafficRouting routing) {
    managedRoute(checks, path, route.name(), routing);
    checks.between(path.field("percentage"), route.percentage(), 0, 100);
    List<CanaryStep.RouteMatch> matches = route.match() == null ? List.of() : route.match();
    for (int i = 0; i < matches.size(); i++) {
      CanaryStep.RouteMatch match = matches.get(i);
      FieldPath matchPath = path.field("match").index(i);
      if (match == null) {
        checks.add(matchPath, "empty match");
        continue;
      }
      if (match.method() != null) stringMatch(checks, matchPath.field("method"), match.method());
      if (match.path() != null) stringMatch(checks, matchPath.field("path"), match.path());
      if (match.headers() != null) {
        match.headers().forEach((header, value) -> {
          if (value == null) checks.add(matchPath.field("headers").field(header), "required");
          else stringMatch(checks, matchPath.field("headers").field(header), value);
        });
      }
    }
  }

  private static void managedRoute(Checks checks, FieldPath path, String name, TrafficRouting routing) {
    checks.required(path.field("name"), name);
    if (routing == null) {
      checks.add(path, "needs spec.strategy.canary.trafficRouting (a router that can match requests)");
      return;
    }
    boolean listed = routing.managedRoutes() != null
        && routing.managedRoutes().stream().anyMatch(r -> r != null && name != null && name.equals(r.name()));
    if (name != null && !listed) {
      checks.add(path.field("name"), "\"" + name + "\" must be listed in spec.strategy.canary.trafficRouting.managedRoutes");
    }
  }

  private static void stringMatch(Checks checks, FieldPath path, CanaryStep.StringMatch match) {
    checks.exactlyOne(path, "exact", match.exact(), "prefix", match.prefix(), "regex", match.regex());
  }
}
