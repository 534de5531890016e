package dev.sluice.api.validation;

import static dev.sluice.api.validation.Manifests.canary;
import static dev.sluice.api.validation.Manifests.rollout;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shared rule table: one edit to a valid spec, and the one problem the controller (InvalidSpec)
 * and {@code kubectl sluice lint} both name for it, word for word.
 */
class RolloutValidationTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      {strategy: {blueGreen: {activeService: active}}}                  | spec.strategy: set exactly one of canary and blueGreen, got both
      {strategy: {canary: null}}                                        | spec.strategy: set exactly one of canary and blueGreen, got neither
      {strategy: {canary: null, blueGreen: {previewService: preview}}}  | spec.strategy.blueGreen.activeService: required
      {strategy: {canary: null, blueGreen: {activeService: web, previewService: web}}} | spec.strategy.blueGreen.previewService: must differ from activeService, both are "web"
      {strategy: {canary: null, blueGreen: {activeService: web, autoPromotionEnabled: false, autoPromotionSeconds: 8}}} | spec.strategy.blueGreen.autoPromotionSeconds: has no effect with autoPromotionEnabled: false (the preview waits for a promote); remove one of them
      {strategy: {canary: null, blueGreen: {activeService: web, previewReplicaCount: -1}}} | spec.strategy.blueGreen.previewReplicaCount: must be 0 or more, got -1
      {strategy: {canary: null, blueGreen: {activeService: web, prePromotionAnalysis: {templates: []}}}} | spec.strategy.blueGreen.prePromotionAnalysis.templates: at least one template is required
      {strategy: {canary: null, blueGreen: {activeService: web, postPromotionAnalysis: {templates: [{templateName: t}], startingStep: 1}}}} | spec.strategy.blueGreen.postPromotionAnalysis.startingStep: only for background analysis (spec.strategy.canary.analysis)
      {strategy: {canary: null, blueGreen: {activeService: web, previewMetadata: {labels: {a: b}}}}} | spec.strategy.blueGreen.previewMetadata: not supported yet (the preview pods would not get these labels and annotations); remove it
      {replicas: -1}                                                    | spec.replicas: must be 0 or more, got -1
      {selector: null}                                                  | spec.selector: required
      {selector: {matchLabels: null}}                                   | spec.selector: must not be empty (it would select every pod in the namespace)
      {selector: {matchLabels: {app: api}}}                             | spec.selector: does not match spec.template.metadata.labels
      {selector: {matchExpressions: [{key: app, operator: Equals, values: [web]}]}} | spec.selector.matchExpressions[0].operator: must be one of In, NotIn, Exists, DoesNotExist, got Equals
      {template: null}                                                  | spec.template: required (or spec.workloadRef)
      {template: {spec: {containers: []}}}                              | spec.template.spec.containers: at least one container is required
      {template: {spec: {containers: [{name: web}]}}}                   | spec.template.spec.containers[0].image: required
      {template: {spec: {containers: [{image: "web:1"}]}}}              | spec.template.spec.containers[0].name: required
      {workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web}} | spec.template: must not be set with spec.workloadRef (the pod template is the Deployment's); remove one of them
      {template: null, workloadRef: {apiVersion: apps/v1, kind: StatefulSet, name: web}} | spec.workloadRef.kind: must be Deployment, got "StatefulSet"
      {template: null, workloadRef: {apiVersion: extensions/v1beta1, kind: Deployment, name: web}} | spec.workloadRef.apiVersion: must be apps/v1, got "extensions/v1beta1"
      {template: null, workloadRef: {apiVersion: apps/v1, kind: Deployment}} | spec.workloadRef.name: required
      {template: null, workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web, scaleDown: OnSuccess}} | spec.workloadRef.scaleDown: must be one of never, onsuccess, progressively, got "OnSuccess"
      {minReadySeconds: -1}                                             | spec.minReadySeconds: must be 0 or more, got -1
      {revisionHistoryLimit: -2}                                        | spec.revisionHistoryLimit: must be 0 or more, got -2
      {progressDeadlineSeconds: 0}                                      | spec.progressDeadlineSeconds: must be at least 1, got 0
      {restartAt: tomorrow}                                             | spec.restartAt: must be an RFC 3339 time such as 2024-05-01T10:00:00Z, got "tomorrow"
      """)
  void specRules(String edit, String problem) {
    assertThat(texts(RolloutValidation.validate(rollout(edit)))).containsExactly(problem);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      # replicas and surge
      {maxSurge: 0, maxUnavailable: 0%}          | spec.strategy.canary.maxSurge, spec.strategy.canary.maxUnavailable: must not both be 0 (the update could never move)
      {maxSurge: 25 percent}                     | spec.strategy.canary.maxSurge: must be an integer or a percentage like "25%", got "25 percent"
      {maxUnavailable: 1.5%}                     | spec.strategy.canary.maxUnavailable: must be an integer or a percentage like "25%", got "1.5%"
      {maxSurge: "3"}                            | spec.strategy.canary.maxSurge: must be an integer or a percentage like "25%", got "3"
      {maxSurge: -1}                             | spec.strategy.canary.maxSurge: must not be negative, got -1
      {maxUnavailable: 150%}                     | spec.strategy.canary.maxUnavailable: must not be above 100%, got 150%
      {abortScaleDownDelaySeconds: -1}           | spec.strategy.canary.abortScaleDownDelaySeconds: must be 0 or more, got -1
      {canaryService: web, stableService: web}   | spec.strategy.canary.canaryService: must differ from stableService, both are "web"
      {dynamicStableScale: true}                 | spec.strategy.canary.dynamicStableScale: needs trafficRouting (without a router the stable's pods already follow the weight)
      {scaleDownDelaySeconds: 30}                | spec.strategy.canary.scaleDownDelaySeconds: needs trafficRouting (without a router the old stable is scaled down as the canary grows)
      {scaleDownDelayRevisionLimit: -1}          | spec.strategy.canary.scaleDownDelayRevisionLimit: must be 0 or more, got -1
      # steps
      {steps: [{setWeight: 10}, {pause: {duration: 1m}}, {setWeight: 150}]} | spec.strategy.canary.steps[2].setWeight: must be between 0 and 100, got 150
      {steps: [{setWeight: -5}]}                 | spec.strategy.canary.steps[0].setWeight: must be between 0 and 100, got -5
      {steps: [{setWeight: 10}, {}]}             | spec.strategy.canary.steps[1]: exactly one of setWeight, pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute must be set, got none
      {steps: [{setWeight: 20, pause: {}}]}      | spec.strategy.canary.steps[0]: exactly one of setWeight, pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute must be set, got setWeight, pause
      {steps: [{setWeight: 10}, {pause: {duration: 5 minutes}}]} | spec.strategy.canary.steps[1].pause.duration: invalid duration "5 minutes": expected integer seconds or a Go duration such as 30s, 5m, 1h30m, 250ms
      {steps: [{pause: {duration: -3}}]}         | spec.strategy.canary.steps[0].pause.duration: invalid duration -3: must not be negative
      {steps: [{setCanaryScale: {matchTrafficWeight: false}}]} | spec.strategy.canary.steps[0].setCanaryScale: exactly one of weight, replicas, matchTrafficWeight: true must be set, got none
      {steps: [{setCanaryScale: {weight: 20, replicas: 3}}]}   | spec.strategy.canary.steps[0].setCanaryScale: exactly one of weight, replicas, matchTrafficWeight: true must be set, got weight, replicas
      {steps: [{setCanaryScale: {weight: 120}}]}  | spec.strategy.canary.steps[0].setCanaryScale.weight: must be between 0 and 100, got 120
      {steps: [{setCanaryScale: {replicas: -1}}]} | spec.strategy.canary.steps[0].setCanaryScale.replicas: must be 0 or more, got -1
      # analysis
      {steps: [{analysis: {}}]}                  | spec.strategy.canary.steps[0].analysis.templates: at least one template is required
      {steps: [{setWeight: 10}, {analysis: {templates: [{templateName: " "}]}}]} | spec.strategy.canary.steps[1].analysis.templates[0].templateName: required
      {steps: [{analysis: {templates: [{templateName: error-rate}], args: [{value: x}]}}]} | spec.strategy.canary.steps[0].analysis.args[0].name: required
      {steps: [{analysis: {templates: [{templateName: error-rate}], args: [{name: service, value: a}, {name: service, value: b}]}}]} | spec.strategy.canary.steps[0].analysis.args[1].name: argument "service" is given twice
      {steps: [{analysis: {templates: [{templateName: error-rate}], args: [{name: service}]}}]} | spec.strategy.canary.steps[0].analysis.args[0]: set exactly one of value and valueFrom for argument "service"
      {steps: [{analysis: {templates: [{templateName: error-rate}], args: [{name: service, value: a, valueFrom: {podTemplateHashValue: Stable}}]}}]} | spec.strategy.canary.steps[0].analysis.args[0]: set exactly one of value and valueFrom for argument "service"
      {steps: [{analysis: {templates: [{templateName: error-rate}], args: [{name: hash, valueFrom: {fieldRef: {fieldPath: metadata.name}, podTemplateHashValue: Stable}}]}}]} | spec.strategy.canary.steps[0].analysis.args[0].valueFrom: exactly one of secretKeyRef, fieldRef, podTemplateHashValue must be set, got fieldRef, podTemplateHashValue
      {steps: [{analysis: {templates: [{templateName: error-rate}], args: [{name: hash, valueFrom: {podTemplateHashValue: Canary}}]}}]} | spec.strategy.canary.steps[0].analysis.args[0].valueFrom.podTemplateHashValue: must be Stable or Latest, got "Canary"
      {steps: [{analysis: {templates: [{templateName: error-rate}], args: [{name: token, valueFrom: {secretKeyRef: {name: prom}}}]}}]} | spec.strategy.canary.steps[0].analysis.args[0].valueFrom.secretKeyRef.key: required
      {steps: [{analysis: {templates: [{templateName: error-rate}], args: [{name: pod, valueFrom: {fieldRef: {}}}]}}]} | spec.strategy.canary.steps[0].analysis.args[0].valueFrom.fieldRef.fieldPath: required
      {steps: [{analysis: {templates: [{templateName: error-rate}], startingStep: 0}}]} | spec.strategy.canary.steps[0].analysis.startingStep: only for background analysis (spec.strategy.canary.analysis)
      {steps: [{analysis: {templates: [{templateName: error-rate}], dryRun: [{}]}}]} | spec.strategy.canary.steps[0].analysis.dryRun[0].metricName: required
      {steps: [{setWeight: 10}, {pause: {duration: 1m}}], analysis: {templates: [{templateName: error-rate}], startingStep: 3}} | spec.strategy.canary.analysis.startingStep: must be between 0 and 2 (the number of steps), got 3
      {analysis: {templates: []}}                | spec.strategy.canary.analysis.templates: at least one template is required
      {analysis: {templates: [{templateName: error-rate}], dryRun: [{metricName: ""}]}} | spec.strategy.canary.analysis.dryRun[0].metricName: required
      {analysis: {templates: [{templateName: error-rate}], dryRun: [{metricName: "[a-"}]}} | spec.strategy.canary.analysis.dryRun[0].metricName: "[a-" is not a regular expression (missing closing ])
      {analysis: {templates: [{templateName: error-rate}], measurementRetention: [{limit: 5}]}} | spec.strategy.canary.analysis.measurementRetention[0].metricName: required
      {analysis: {templates: [{templateName: error-rate}], measurementRetention: [{metricName: error-rate, limit: 0}]}} | spec.strategy.canary.analysis.measurementRetention[0].limit: must be at least 1, got 0
      # traffic routing
      {canaryService: c, stableService: s, trafficRouting: {}} | spec.strategy.canary.trafficRouting: set one of nginx, istio, smi, gatewayAPI
      {canaryService: c, stableService: s, trafficRouting: {nginx: {stableIngress: web}, gatewayAPI: {httpRoute: web}}} | spec.strategy.canary.trafficRouting: nginx, gatewayAPI cannot be combined; combine at most one of nginx, gatewayAPI (in front) with at most one of istio, smi (the mesh)
      {canaryService: c, stableService: s, trafficRouting: {istio: {virtualService: {name: web}}, smi: {}}} | spec.strategy.canary.trafficRouting: istio, smi cannot be combined; combine at most one of nginx, gatewayAPI (in front) with at most one of istio, smi (the mesh)
      {canaryService: c, stableService: s, trafficRouting: {gatewayAPI: {httpRoute: web}, maxTrafficWeight: 0}} | spec.strategy.canary.trafficRouting.maxTrafficWeight: must be at least 1, got 0
      {canaryService: c, stableService: s, trafficRouting: {nginx: {stableIngress: " ", stableIngresses: []}}} | spec.strategy.canary.trafficRouting.nginx: set stableIngress or stableIngresses
      {canaryService: c, stableService: s, trafficRouting: {nginx: {stableIngresses: [web, ""]}}} | spec.strategy.canary.trafficRouting.nginx.stableIngresses[1]: must not be empty
      {canaryService: c, stableService: s, trafficRouting: {istio: {}}} | spec.strategy.canary.trafficRouting.istio: set virtualService or virtualServices
      {canaryService: c, stableService: s, trafficRouting: {istio: {virtualService: {}}}} | spec.strategy.canary.trafficRouting.istio.virtualService.name: required
      {canaryService: c, stableService: s, trafficRouting: {istio: {virtualServices: [{name: web}, {}]}}} | spec.strategy.canary.trafficRouting.istio.virtualServices[1].name: required
      {trafficRouting: {istio: {virtualService: {name: web}, destinationRule: {name: web, canarySubsetName: canary}}}} | spec.strategy.canary.trafficRouting.istio.destinationRule.stableSubsetName: required
      {trafficRouting: {istio: {virtualService: {name: web}, destinationRule: {name: web, canarySubsetName: v1, stableSubsetName: v1}}}} | spec.strategy.canary.trafficRouting.istio.destinationRule.canarySubsetName: must differ from stableSubsetName, both are "v1"
      {canaryService: c, stableService: s, trafficRouting: {gatewayAPI: {}}} | spec.strategy.canary.trafficRouting.gatewayAPI: set httpRoute or httpRoutes
      {canaryService: c, stableService: s, trafficRouting: {gatewayAPI: {httpRoutes: [{}]}}} | spec.strategy.canary.trafficRouting.gatewayAPI.httpRoutes[0].name: required
      {canaryService: c, stableService: s, trafficRouting: {gatewayAPI: {httpRoute: web}, managedRoutes: [{name: header-beta}, {name: header-beta}]}} | spec.strategy.canary.trafficRouting.managedRoutes[1].name: "header-beta" is listed twice
      {canaryService: c, stableService: s, trafficRouting: {gatewayAPI: {httpRoute: web}, managedRoutes: [{}]}} | spec.strategy.canary.trafficRouting.managedRoutes[0].name: required
      {canaryService: c, stableService: s, trafficRouting: {gatewayAPI: {httpRoute: web}, managedRoutes: [{name: Beta_Users}]}} | spec.strategy.canary.trafficRouting.managedRoutes[0].name: must be lowercase letters, digits and '-' (it names an HTTPRoute rule), got "Beta_Users"
      {canaryService: c, trafficRouting: {gatewayAPI: {httpRoute: web}}} | spec.strategy.canary.stableService: required with trafficRouting (the router sends the stable's share to it)
      {canaryService: "", stableService: s, trafficRouting: {gatewayAPI: {httpRoute: web}}} | spec.strategy.canary.canaryService: required with trafficRouting (the router sends the canary's share to it)
      {canaryService: c, stableService: s, trafficRouting: {gatewayAPI: {httpRoute: web}}, dynamicStableScale: true, scaleDownDelaySeconds: 10} | spec.strategy.canary.dynamicStableScale: cannot be combined with scaleDownDelaySeconds (the old stable has no pods left to keep)
      {canaryService: c, stableService: s, trafficRouting: {gatewayAPI: {httpRoute: web}}, scaleDownDelaySeconds: -1} | spec.strategy.canary.scaleDownDelaySeconds: must be 0 or more, got -1
      {canaryService: c, stableService: s, trafficRouting: {gatewayAPI: {httpRoute: web}, maxTrafficWeight: 50}, steps: [{setWeight: 60}]} | spec.strategy.canary.steps[0].setWeight: must be between 0 and 50 (trafficRouting.maxTrafficWeight), got 60
      # header and mirror routes
      {steps: [{setHeaderRoute: {name: header-beta, match: [{headerName: X-Beta, headerValue: {exact: beta}}]}}]} | spec.strategy.canary.steps[0].setHeaderRoute: needs trafficRouting
      {steps: [{setMirrorRoute: {name: mirror-api, percentage: 10}}]} | spec.strategy.canary.steps[0].setMirrorRoute: needs trafficRouting
      {canaryService: c, stableService: s, trafficRouting: {gatewayAPI: {httpRoute: web}, managedRoutes: [{name: mirror-api}]}, steps: [{setHeaderRoute: {name: header-beta}}]} | spec.strategy.canary.steps[0].setHeaderRoute.name: "header-beta" is not listed in spec.strategy.canary.trafficRouting.managedRoutes
      {canaryService: c, stableService: s, trafficRouting: {gatewayAPI: {httpRoute: web}, managedRoutes: [{name: header-beta}]}, steps: [{setHeaderRoute: {}}]} | spec.strategy.canary.steps[0].setHeaderRoute.name: required
      {canaryService: c, stableService: s, trafficRouting: {smi: {}, managedRoutes: [{name: header-beta}]}, steps: [{setHeaderRoute: {name: header-beta}}]} | spec.strategy.canary.steps[0].setHeaderRoute: SMI cannot route by header; use nginx, istio or gatewayAPI
      {canaryService: c, stableService: s, trafficRouting: {nginx: {stableIngress: web}, managedRoutes: [{name: mirror-api}]}, steps: [{setMirrorRoute: {name: mirror-api, percentage: 10}}]} | spec.strategy.canary.steps[0].setMirrorRoute: NGINX Ingress cannot mirror traffic; use istio or gatewayAPI
      {canaryService: c, stableService: s, trafficRouting: {smi: {}, managedRoutes: [{name: mirror-api}]}, steps: [{setMirrorRoute: {name: mirror-api, percentage: 10}}]} | spec.strategy.canary.steps[0].setMirrorRoute: SMI cannot mirror traffic; use istio or gatewayAPI
      {canaryService: c, stableService: s, trafficRouting: {gatewayAPI: {httpRoute: web}, managedRoutes: [{name: header-beta}]}, steps: [{setHeaderRoute: {name: header-beta, match: [{headerName: X-Beta, headerValue: {exact: beta, prefix: b}}]}}]} | spec.strategy.canary.steps[0].setHeaderRoute.match[0].headerValue: set exactly one of exact, prefix, regex, got exact, prefix
      {canaryService: c, stableService: s, trafficRouting: {gatewayAPI: {httpRoute: web}, managedRoutes: [{name: header-beta}]}, steps: [{setHeaderRoute: {name: header-beta, match: [{headerValue: {exact: beta}}]}}]} | spec.strategy.canary.steps[0].setHeaderRoute.match[0].headerName: required
      {canaryService: c, stableService: s, trafficRouting: {gatewayAPI: {httpRoute: web}, managedRoutes: [{name: mirror-api}]}, steps: [{setMirrorRoute: {name: mirror-api, percentage: 120}}]} | spec.strategy.canary.steps[0].setMirrorRoute.percentage: must be between 0 and 100, got 120
      {canaryService: c, stableService: s, trafficRouting: {gatewayAPI: {httpRoute: web}, managedRoutes: [{name: mirror-api}]}, steps: [{setMirrorRoute: {name: mirror-api, percentage: 10, match: [{method: {prefix: PO}}]}}]} | spec.strategy.canary.steps[0].setMirrorRoute.match[0].method: Gateway API matches a method only exactly; use exact
      {canaryService: c, stableService: s, trafficRouting: {istio: {virtualService: {name: web}}, managedRoutes: [{name: mirror-api}]}, steps: [{setMirrorRoute: {name: mirror-api, match: [{path: {}}]}}]} | spec.strategy.canary.steps[0].setMirrorRoute.match[0].path: set exactly one of exact, prefix, regex, got none
      {canaryService: c, stableService: s, trafficRouting: {istio: {virtualService: {name: web}}, managedRoutes: [{name: mirror-api}]}, steps: [{setMirrorRoute: {name: mirror-api, match: [{headers: {x.tenant: {exact: a, regex: a.*}}}]}}]} | spec.strategy.canary.steps[0].setMirrorRoute.match[0].headers["x.tenant"]: set exactly one of exact, prefix, regex, got exact, regex
      """)
  void canaryRules(String edit, String problem) {
    assertThat(texts(RolloutValidation.validate(canary(edit)))).containsExactly(problem);
  }

  @Test
  void aSpecIsRequired() {
    assertThat(texts(RolloutValidation.validate(null))).containsExactly("spec: required");
  }

  @Test
  void everyProblemIsNamedStrategyFirstThenTopDown() {
    var spec = rollout("""
        replicas: -1
        restartAt: tomorrow
        strategy:
          canary:
            maxSurge: lots
            canaryService: web
            stableService: web
            steps: [{setWeight: 150}, {pause: {duration: soon}}, {setWeight: 20, pause: {}}]
            analysis: {templates: [], startingStep: 9}
        """);

    assertThat(texts(RolloutValidation.validate(spec))).containsExactly(
        "spec.replicas: must be 0 or more, got -1",
        "spec.restartAt: must be an RFC 3339 time such as 2024-05-01T10:00:00Z, got \"tomorrow\"",
        "spec.strategy.canary.maxSurge: must be an integer or a percentage like \"25%\", got \"lots\"",
        "spec.strategy.canary.canaryService: must differ from stableService, both are \"web\"",
        "spec.strategy.canary.steps[0].setWeight: must be between 0 and 100, got 150",
        "spec.strategy.canary.steps[1].pause.duration: invalid duration \"soon\": expected integer seconds or a Go duration such as 30s, 5m, 1h30m, 250ms",
        "spec.strategy.canary.steps[2]: exactly one of setWeight, pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute must be set, got setWeight, pause",
        "spec.strategy.canary.analysis.templates: at least one template is required",
        "spec.strategy.canary.analysis.startingStep: must be between 0 and 3 (the number of steps), got 9");
  }

  @Test
  void aStrategyProblemComesFirstAndTheCanaryRulesWaitForIt() {
    var spec = rollout("""
        replicas: -1
        strategy:
          canary: {steps: [{setWeight: 150}]}
          blueGreen: {activeService: active}
        """);

    assertThat(texts(RolloutValidation.validate(spec))).containsExactly(
        "spec.strategy: set exactly one of canary and blueGreen, got both",
        "spec.replicas: must be 0 or more, got -1");
  }

  @Test
  void aRouteStepWithoutARouterIsStillCheckedForWhatItMatches() {
    var spec = canary("{steps: [{setHeaderRoute: {match: [{headerName: X-Beta, headerValue: {}}]}}]}");

    assertThat(texts(RolloutValidation.validate(spec))).containsExactly(
        "spec.strategy.canary.steps[0].setHeaderRoute: needs trafficRouting",
        "spec.strategy.canary.steps[0].setHeaderRoute.name: required",
        "spec.strategy.canary.steps[0].setHeaderRoute.match[0].headerValue: set exactly one of exact, prefix, regex, got none");
  }

  @Test
  void aFieldThatCannotBeCheckedForWantOfAnotherIsNotBlamed() {
    // no template to match the selector against, no weight to check in a step of two kinds
    assertThat(texts(RolloutValidation.validate(rollout("{selector: null, template: null}"))))
        .containsExactly("spec.selector: required", "spec.template: required (or spec.workloadRef)");
    assertThat(texts(RolloutValidation.validate(rollout(
        "{selector: {matchExpressions: [{key: app, operator: Has}]}, template: {metadata: {labels: null}}}"))))
        .containsExactly("spec.selector.matchExpressions[0].operator: must be one of In, NotIn, Exists, DoesNotExist, got Has");
    // a Deployment's template cannot be checked here: the controller does, once it sees the Deployment
    assertThat(texts(RolloutValidation.validate(rollout(
        "{workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web, scaleDown: progressively}, template: null}"))))
        .isEmpty();
  }

  @Test
  void acceptsAFullCanarySpec() {
    var spec = rollout("""
        selector: {matchLabels: null, matchExpressions: [{key: app, operator: In, values: [web, api]}]}
        restartAt: "2024-05-01T10:00:00.5+02:00"
        strategy:
          canary:
            canaryService: web-canary
            stableService: web-stable
            maxSurge: 0%
            maxUnavailable: 1
            steps:
            - setWeight: 0
            - setWeight: 100
            - pause: {duration: 1h30m}
            - pause: {}
            - setCanaryScale: {replicas: 0}
            - setCanaryScale: {matchTrafficWeight: true}
        """);

    assertThat(RolloutValidation.validate(spec)).isEmpty();
  }

  @Test
  void acceptsStepAndBackgroundAnalysis() {
    var spec = canary("""
        steps:
        - setWeight: 10
        - analysis:
            templates: [{templateName: error-rate}, {templateName: shared, clusterScope: true}]
            args:
            - {name: service, value: web}
            - {name: hash, valueFrom: {podTemplateHashValue: Latest}}
            - {name: name, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
            - {name: token, valueFrom: {secretKeyRef: {name: prom, key: token}}}
            dryRun: [{metricName: latency}]
            measurementRetention: [{metricName: error-rate, limit: 5}]
            analysisRunMetadata: {labels: {team: web}}
        - pause: {duration: 1m}
        analysis: {templates: [{templateName: error-rate}], startingStep: 3}
        """);

    assertThat(RolloutValidation.validate(spec)).isEmpty();
  }

  @Test
  void acceptsTrafficRoutingWithHeaderAndMirrorRoutes() {
    var spec = canary("""
        canaryService: web-canary
        stableService: web-stable
        dynamicStableScale: true
        trafficRouting:
          istio: {virtualService: {name: web}}
          managedRoutes: [{name: header-beta}, {name: mirror-api}]
          maxTrafficWeight: 1000
        steps:
        - setWeight: 5
        - setHeaderRoute: {name: header-beta, match: [{headerName: X-Beta, headerValue: {exact: beta}}]}
        - setMirrorRoute: {name: mirror-api, percentage: 25, match: [{path: {prefix: /api}, headers: {x.tenant: {exact: a}}}, null]}
        - setHeaderRoute: {name: header-beta}
        - setWeight: 1000
        """);

    assertThat(RolloutValidation.validate(spec)).isEmpty();
  }

  @Test
  void acceptsAnEdgeRouterInFrontOfAMesh() {
    var spec = canary("""
        canaryService: web-canary
        stableService: web-stable
        trafficRouting: {nginx: {stableIngress: web}, smi: {}}
        scaleDownDelaySeconds: 0
        scaleDownDelayRevisionLimit: 2
        steps: [{setWeight: 20}]
        """);

    assertThat(RolloutValidation.validate(spec)).isEmpty();
  }

  @Test
  void istioSubsetsNeedNoServicesAsInArgoRollouts() {
    var spec = canary("{trafficRouting: {istio: {virtualService: {name: web}, destinationRule: {name: web, canarySubsetName: canary, stableSubsetName: stable}}}}");

    assertThat(RolloutValidation.validate(spec)).isEmpty();
  }

  @Test
  void aProblemReadsAsPathColonMessage() {
    SpecProblem problem = RolloutValidation.validate(rollout("{replicas: -1}")).get(0);

    assertThat(problem.path()).isEqualTo("spec.replicas");
    assertThat(problem.message()).isEqualTo("must be 0 or more, got -1");
    assertThat(problem).hasToString("spec.replicas: must be 0 or more, got -1");
  }

  static List<String> texts(List<SpecProblem> problems) {
    return problems.stream().map(SpecProblem::toString).toList();
  }
}
