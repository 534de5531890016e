package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.CanaryStrategy;
import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutStrategy;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.api.v1alpha1.TrafficRouting;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A Rollout spec to edit field by field in tests, as a user edits YAML. */
final class SpecBuilder {
  Integer replicas = 10;
  List<CanaryStep> steps = new ArrayList<>();
  IntOrString maxSurge;
  IntOrString maxUnavailable;
  Boolean paused;
  Integer progressDeadlineSeconds;
  Boolean progressDeadlineAbort;
  String restartAt;
  Integer revisionHistoryLimit;
  Integer abortScaleDownDelaySeconds;
  Integer scaleDownDelaySeconds;
  Integer scaleDownDelayRevisionLimit;
  Boolean dynamicStableScale;
  String canaryService;
  String stableService;
  LabelSelector selector = new LabelSelectorBuilder().addToMatchLabels("app", "web").build();
  PodTemplateSpec template = new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "web").endMetadata()
      .withNewSpec().addNewContainer().withName("web").withImage("web:1").endContainer().endSpec().build();
  boolean canary = true;
  TrafficRouting trafficRouting;
  RolloutAnalysis analysis;
  RolloutStrategy.BlueGreenStrategy blueGreen;
  RolloutSpec.WorkloadRef workloadRef;
  Integer rollbackWindow;

  SpecBuilder steps(CanaryStep... s) {
    steps = new ArrayList<>(Arrays.asList(s));
    return this;
  }

  SpecBuilder replicas(Integer r) {
    replicas = r;
    return this;
  }

  SpecBuilder surge(Object surge, Object unavailable) {
    maxSurge = surge == null ? null : new IntOrString(surge);
    maxUnavailable = unavailable == null ? null : new IntOrString(unavailable);
    return this;
  }

  RolloutSpec build() {
    CanaryStrategy canaryStrategy = canary
        ? new CanaryStrategy(steps == null ? null : List.copyOf(steps), canaryService, stableService, trafficRouting,
            maxSurge, maxUnavailable, scaleDownDelaySeconds, scaleDownDelayRevisionLimit, abortScaleDownDelaySeconds,
            dynamicStableScale, null, null, null, analysis)
        : null;
    return new RolloutSpec(replicas, selector, template, workloadRef, null, revisionHistoryLimit, paused,
        progressDeadlineSeconds, progressDeadlineAbort, restartAt,
        rollbackWindow == null ? null : new RolloutSpec.RollbackWindow(rollbackWindow),
        new RolloutStrategy(canaryStrategy, blueGreen));
  }

  /** Gateway API routing through HTTPRoute "web-route", with these managed routes, between web-canary and web-stable. */
  SpecBuilder gatewayApi(String... managedRoutes) {
    return routing(new TrafficRouting(null, null, null, new TrafficRouting.GatewayApi("web-route", null, null),
        managed(managedRoutes), null));
  }

  SpecBuilder routing(TrafficRouting routing) {
    trafficRouting = routing;
    canaryService = "web-canary";
    stableService = "web-stable";
    return this;
  }

  static List<TrafficRouting.ManagedRoute> managed(String... names) {
    return names.length == 0 ? null : Arrays.stream(names).map(TrafficRouting.ManagedRoute::new).toList();
  }

  static CanaryStep headerRoute(String name, String header, String value) {
    return new CanaryStep(null, null, null, null, new CanaryStep.SetHeaderRoute(name,
        List.of(new CanaryStep.HeaderMatch(header, new CanaryStep.StringMatch(value, null, null)))), null);
  }

  static CanaryStep removeHeaderRoute(String name) {
    return new CanaryStep(null, null, null, null, new CanaryStep.SetHeaderRoute(name, null), null);
  }

  static CanaryStep mirrorRoute(String name, int percentage) {
    return new CanaryStep(null, null, null, null, null, new CanaryStep.SetMirrorRoute(name, percentage,
        List.of(new CanaryStep.RouteMatch(null, new CanaryStep.StringMatch(null, "/api", null), null))));
  }

  static CanaryStep setWeight(int w) {
    return CanaryStep.weight(w);
  }

  static CanaryStep pause(String duration) {
    return CanaryStep.pause(duration);
  }

  static CanaryStep pauseUntilPromoted() {
    return CanaryStep.pause(null);
  }

  static CanaryStep canaryScaleReplicas(int replicas) {
    return CanaryStep.canaryScale(new CanaryStep.SetCanaryScale(null, replicas, null));
  }

  static CanaryStep canaryScaleWeight(int weight) {
    return CanaryStep.canaryScale(new CanaryStep.SetCanaryScale(weight, null, null));
  }

  /** An analysis step running these templates (namespaced) with these {@code name=value} arguments. */
  static CanaryStep analysis(List<String> templates, String... args) {
    return new CanaryStep(null, null, null, analysisOf(templates, args), null, null);
  }

  static RolloutAnalysis analysisOf(List<String> templates, String... args) {
    List<RolloutAnalysis.TemplateRef> refs = templates.stream().map(t -> new RolloutAnalysis.TemplateRef(t, null)).toList();
    List<AnalysisArgument> arguments = Arrays.stream(args)
        .map(a -> new AnalysisArgument(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1), null))
        .toList();
    return new RolloutAnalysis(refs, arguments.isEmpty() ? null : arguments, null, null, null, null);
  }

  static CanaryStep matchTrafficWeight() {
    return CanaryStep.canaryScale(new CanaryStep.SetCanaryScale(null, null, true));
  }
}
