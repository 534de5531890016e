package dev.sluice.cli.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ManifestLintTest {

  private static String resource(String name) throws IOException {
    try (InputStream in = ManifestLintTest.class.getResourceAsStream("/lint/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> findings(String yaml) {
    return ManifestLint.lint(yaml).findings().stream().map(f -> f.format("f.yaml")).collect(Collectors.toList());
  }

  @Test
  void aGoodFileHasNoProblemsAndLeavesOtherApisAlone() throws IOException {
    ManifestLint.Report report = ManifestLint.lint(resource("good.yaml"));

    assertThat(report.findings()).isEmpty();
    assertThat(report.checked()).containsExactly("Rollout shop", "AnalysisTemplate success-rate");
    assertThat(report.skipped()).containsExactly("Service shop-canary");
  }

  @Test
  void aBrokenFileGetsEveryProblemWithItsLineAndPath() throws IOException {
    assertThat(findings(resource("broken.yaml"))).containsExactly(
        "f.yaml:6: Rollout shop: spec.replicas: must be 0 or more, got -1",
        "f.yaml:7: Rollout shop: spec.selector: does not match spec.template.metadata.labels",
        "f.yaml:16: Rollout shop: spec.restartAt: must be an RFC 3339 time such as 2024-05-01T10:00:00Z, got \"tomorrow\"",
        "f.yaml:19: Rollout shop: spec.strategy.canary.maxSurge: must be an integer or a percentage like \"25%\", got \"lots\"",
        "f.yaml:20: Rollout shop: spec.strategy.canary.canaryService: must differ from stableService, both are \"shop\"",
        "f.yaml:24: Rollout shop: spec.strategy.canary.steps[1].pause.duration: invalid duration \"10 minutes\": expected integer seconds or a Go duration such as 30s, 5m, 1h30m, 250ms",
        "f.yaml:25: Rollout shop: spec.strategy.canary.steps[2].setWeight: must be between 0 and 100, got 150",
        "f.yaml:26: Rollout shop: spec.strategy.canary.steps[3].setweight: unknown field (did you mean setWeight?)",
        "f.yaml:27: Rollout shop: spec.strategy.canary.steps[4]: exactly one of setWeight, pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute must be set, got setWeight, pause",
        "f.yaml:29: Rollout shop: spec.strategy.canary.steps[5].setCanaryScale: exactly one of weight, replicas, matchTrafficWeight: true must be set, got weight, replicas",
        "f.yaml:30: Rollout shop: spec.strategy.canary.steps[6].setHeaderRoute: needs trafficRouting",
        "f.yaml:34: Rollout shop: spec.strategy.canary.steps[6].setHeaderRoute.match[0].headerValue: set exactly one of exact, prefix, regex, got exact, prefix",
        "f.yaml:42: AnalysisTemplate success-rate: spec.metrics[0].interval: required when count is more than 1",
        "f.yaml:44: AnalysisTemplate success-rate: spec.metrics[0].failureLimit: must be an integer or an {{args.name}} placeholder, got \"many\"",
        "f.yaml:45: AnalysisTemplate success-rate: spec.metrics[0].provider: set exactly one of prometheus, web, job, judge, got prometheus, web",
        "f.yaml:50: AnalysisTemplate success-rate: spec.metrics[1].name: metric \"success-rate\" is defined twice",
        "f.yaml:51: AnalysisTemplate success-rate: spec.metrics[1].provider: set exactly one of prometheus, web, job, judge, got none",
        "f.yaml:53: Rollout legacy: apiVersion: argoproj.io/v1alpha1 is the Argo Rollouts API; turn the file into Sluice manifests with: kubectl sluice convert -f FILE");
  }

  private static final String ROLLOUT = """
      apiVersion: sluice.dev/v1alpha1
      kind: Rollout
      metadata: {name: r}
      spec:
        replicas: 2
        selector: {matchLabels: {app: r}}
        template:
          metadata: {labels: {app: r}}
          spec: {containers: [{name: app, image: img}]}
        strategy:
          canary:
            %s
      """;

  /** One change to a valid canary section, and the single problem lint must name for it. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      steps: [{setWeight: 10}]                                         | <none>
      steps: [{setWeight: 10}, {pause: {}}, {setWeight: -5}]           | spec.strategy.canary.steps[2].setWeight: must be between 0 and 100, got -5
      steps: [{pause: {duration: 1x}}]                                 | spec.strategy.canary.steps[0].pause.duration: invalid duration "1x": expected integer seconds or a Go duration such as 30s, 5m, 1h30m, 250ms
      steps: [{pause: {duration: 90}}]                                 | <none>
      steps: [{setWeight: ten}]                                        | spec.strategy.canary.steps[0].setWeight: must be an integer, got "ten"
      steps: [{setCanaryScale: {}}]                                    | spec.strategy.canary.steps[0].setCanaryScale: exactly one of weight, replicas, matchTrafficWeight: true must be set, got none
      steps: [{setCanaryScale: {weight: 120}}]                         | spec.strategy.canary.steps[0].setCanaryScale.weight: must be between 0 and 100, got 120
      steps: [{analysis: {templates: []}}]                             | spec.strategy.canary.steps[0].analysis.templates: at least one template is required
      steps: [{analysis: {templates: [{templateName: a}], args: [{name: x}]}}] | spec.strategy.canary.steps[0].analysis.args[0]: set exactly one of value and valueFrom for argument "x"
      steps: {setWeight: 10}                                           | spec.strategy.canary.steps: must be a list, got a map
      {stepz: [{setWeight: 10}]}                                       | spec.strategy.canary.stepz: unknown field (did you mean steps?)
      maxUnavailable: 101%                                             | spec.strategy.canary.maxUnavailable: must not be above 100%, got 101%
      {maxSurge: 0, maxUnavailable: 0}                                 | spec.strategy.canary.maxSurge, spec.strategy.canary.maxUnavailable: must not both be 0 (the update could never move)
      {canaryService: c, trafficRouting: {nginx: {stableIngress: i}}}  | spec.strategy.canary.stableService: required with trafficRouting (the router sends the stable's share to it)
      {canaryService: c, stableService: s, trafficRouting: {gatewayAPI: {namespace: n}}} | spec.strategy.canary.trafficRouting.gatewayAPI: set httpRoute or httpRoutes
      {canaryService: c, stableService: s, trafficRouting: {alb: {ingress: i}}} | spec.strategy.canary.trafficRouting.alb: unknown field
      {canaryService: c, stableService: s, trafficRouting: {istio: {virtualService: {name: vs}}, managedRoutes: [{name: m}]}, steps: [{setMirrorRoute: {name: x, percentage: 50}}]} | spec.strategy.canary.steps[0].setMirrorRoute.name: "x" is not listed in spec.strategy.canary.trafficRouting.managedRoutes
      {analysis: {templates: [{templateName: a}], startingStep: 3}, steps: [{setWeight: 5}]} | spec.strategy.canary.analysis.startingStep: must be between 0 and 1 (the number of steps), got 3
      {dynamicStableScale: true, steps: [{setWeight: 5}]}              | spec.strategy.canary.dynamicStableScale: needs trafficRouting (without a router the stable's pods already follow the weight)
      {scaleDownDelaySeconds: 30, steps: [{setWeight: 5}]}             | spec.strategy.canary.scaleDownDelaySeconds: needs trafficRouting (without a router the old stable is scaled down as the canary grows)
      {canaryService: c, stableService: s, dynamicStableScale: true, scaleDownDelaySeconds: 5, trafficRouting: {nginx: {stableIngress: i}}} | spec.strategy.canary.dynamicStableScale: cannot be combined with scaleDownDelaySeconds (the old stable has no pods left to keep)
      {canaryService: c, stableService: s, trafficRouting: {smi: {}}}   | <none>
      {trafficRouting: {istio: {virtualService: {name: vs}, destinationRule: {name: dr, canarySubsetName: canary, stableSubsetName: stable}}}} | <none>
      {canaryService: c, trafficRouting: {istio: {virtualService: {name: vs}}}} | spec.strategy.canary.stableService: required with trafficRouting (the router sends the stable's share to it)
      maxSurge: "3"                                                    | spec.strategy.canary.maxSurge: must be an integer or a percentage like "25%", got "3"
      {canaryService: c, stableService: s, trafficRouting: {nginx: {stableIngress: i}, gatewayAPI: {httpRoute: r}}} | spec.strategy.canary.trafficRouting: nginx, gatewayAPI cannot be combined; combine at most one of nginx, gatewayAPI (in front) with at most one of istio, smi (the mesh)
      {canaryService: c, stableService: s, trafficRouting: {smi: {}, managedRoutes: [{name: m}]}, steps: [{setMirrorRoute: {name: m, percentage: 50}}]} | spec.strategy.canary.steps[0].setMirrorRoute: SMI cannot mirror traffic; use istio or gatewayAPI
      {canaryService: c, stableService: s, trafficRouting: {nginx: {stableIngress: i}, managedRoutes: [{name: m}]}, steps: [{setHeaderRoute: {name: m, match: [{headerName: X-Beta}]}}]} | spec.strategy.canary.steps[0].setHeaderRoute.match[0].headerValue: set exactly one of exact, prefix, regex, got none
      steps: [{analysis: {templates: [{templateName: a}], startingStep: 0}}] | spec.strategy.canary.steps[0].analysis.startingStep: only for background analysis (spec.strategy.canary.analysis)
      {analysis: {templates: [{templateName: a}], dryRun: [{}]}}       | spec.strategy.canary.analysis.dryRun[0].metricName: required
      {analysis: {templates: [{templateName: a}], dryRun: [{metricName: "*"}]}} | spec.strategy.canary.analysis.dryRun[0].metricName: "*" is not a regular expression (missing argument to repetition operator; to select every metric write ".*")
      {analysis: {templates: [{templateName: a}], dryRun: [{metricName: .*}]}} | <none>
      {canaryMetadata: {labels: {role: canary}}, stableMetadata: {annotations: {a: b}}, antiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {}}, steps: [{setWeight: 5}]} | <none>
      {canaryMetadata: {labels: {app: canary}}, steps: [{setWeight: 5}]} | spec.strategy.canary.canaryMetadata.labels.app: spec.selector uses this label, so changing it would take the pods out of the rollout; use another key
      {antiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: {weight: 101}}, steps: [{setWeight: 5}]} | spec.strategy.canary.antiAffinity.preferredDuringSchedulingIgnoredDuringExecution.weight: must be between 1 and 100, got 101
      {analysis: {templates: [{templateName: a}], measurementRetention: [{metricName: m, limit: 0}]}} | spec.strategy.canary.analysis.measurementRetention[0].limit: must be at least 1, got 0
      """)
  void eachRuleNamesThePathOfTheProblem(String canary, String expected) {
    List<String> problems = ManifestLint.lint(ROLLOUT.formatted(canary)).findings().stream()
        .map(f -> f.problem().toString()).collect(Collectors.toList());

    if (expected.equals("<none>")) {
      assertThat(problems).isEmpty();
    } else {
      assertThat(problems).containsExactly(expected);
    }
  }

  private static final String BLUE_GREEN_ROLLOUT = ROLLOUT.replace("canary:", "blueGreen:");

  /** One change to a blue-green section, and the single problem lint must name for it: the controller's rules, word for word. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {activeService: a, previewService: p}                            | <none>
      {activeService: a, previewService: p, autoPromotionEnabled: false, previewReplicaCount: 1, scaleDownDelaySeconds: 60, abortScaleDownDelaySeconds: 0, prePromotionAnalysis: {templates: [{templateName: smoke}]}, postPromotionAnalysis: {templates: [{templateName: rate, clusterScope: true}], args: [{name: svc, value: a}]}} | <none>
      {previewService: p}                                              | spec.strategy.blueGreen.activeService: required
      {activeService: a, previewService: a}                            | spec.strategy.blueGreen.previewService: must differ from activeService, both are "a"
      {activeService: a, autoPromotionEnabled: false, autoPromotionSeconds: 30} | spec.strategy.blueGreen.autoPromotionSeconds: has no effect with autoPromotionEnabled: false (the preview waits for a promote); remove one of them
      {activeService: a, prePromotionAnalysis: {templates: []}}        | spec.strategy.blueGreen.prePromotionAnalysis.templates: at least one template is required
      {activeService: a, postPromotionAnalysis: {templates: [{templateName: t}], args: [{name: x}]}} | spec.strategy.blueGreen.postPromotionAnalysis.args[0]: set exactly one of value and valueFrom for argument "x"
      {activeService: a, prePromotionAnalysis: {templates: [{templateName: t}], startingStep: 1}} | spec.strategy.blueGreen.prePromotionAnalysis.startingStep: only for background analysis (spec.strategy.canary.analysis)
      {activeService: a, postPromotionAnalysis: {templates: [{templateName: t}], dryRun: [{metricName: "*"}]}} | spec.strategy.blueGreen.postPromotionAnalysis.dryRun[0].metricName: "*" is not a regular expression (missing argument to repetition operator; to select every metric write ".*")
      {activeService: a, trafficRouting: {nginx: {stableIngress: i}}}  | spec.strategy.blueGreen.trafficRouting: unknown field
      {activeService: a, steps: [{setWeight: 5}]}                      | spec.strategy.blueGreen.steps: unknown field
      {activeService: a, previewServices: [p]}                         | spec.strategy.blueGreen.previewServices: unknown field (did you mean previewService?)
      {activeService: a, antiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {}}, activeMetadata: {labels: {role: active}}, previewMetadata: {labels: {role: preview}}} | <none>
      {activeService: a, antiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {}, preferredDuringSchedulingIgnoredDuringExecution: {weight: 5}}} | spec.strategy.blueGreen.antiAffinity: set exactly one of preferredDuringSchedulingIgnoredDuringExecution and requiredDuringSchedulingIgnoredDuringExecution, got preferredDuringSchedulingIgnoredDuringExecution, requiredDuringSchedulingIgnoredDuringExecution
      """)
  void eachBlueGreenRuleNamesThePathOfTheProblem(String blueGreen, String expected) {
    List<String> problems = ManifestLint.lint(BLUE_GREEN_ROLLOUT.formatted(blueGreen)).findings().stream()
        .map(f -> f.problem().toString()).collect(Collectors.toList());

    if (expected.equals("<none>")) {
      assertThat(problems).isEmpty();
    } else {
      assertThat(problems).containsExactly(expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      kind: Rollout                                    | f.yaml:1: Rollout: apiVersion: required
      'apiVersion: v1\nkind: Service'                  | <none>
      'apiVersion: sluice.dev/v1beta1\nkind: Rollout'   | f.yaml:1: Rollout: apiVersion: must be sluice.dev/v1alpha1, got sluice.dev/v1beta1
      'apiVersion: sluice.dev/v1alpha1\nkind: Rolout\nmetadata: {name: x}' | f.yaml:2: Rolout x: kind: lint checks Rollout, AnalysisTemplate and ClusterAnalysisTemplate, got "Rolout"
      'apiVersion: sluice.dev/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: t}\nspec: {metrics: []}' | f.yaml:4: AnalysisTemplate t: spec.metrics: at least one metric is required
      'kind: Rollout\nspec: [a, b'                     | f.yaml:2: file: not valid YAML at line 2: expected ',' or ']', but got <stream end> (while parsing a flow sequence that starts at line 2)
      '# nothing here'                                 | f.yaml: file: no YAML documents in the file
      """)
  void documentsThatAreNotSluiceManifestsAreNamed(String yaml, String expected) {
    List<String> findings = findings(yaml.replace("\\n", "\n"));
    if (expected.equals("<none>")) {
      assertThat(findings).isEmpty();
    } else {
      assertThat(findings).containsExactly(expected);
    }
  }

  @Test
  void aProblemOfTwoFieldsIsOnTheLineOfTheFirstAndAQuotedKeyIsOnItsOwnLine() {
    String canary = """
        maxSurge: 0
        maxUnavailable: 0%
        canaryService: c
        stableService: s
        trafficRouting:
          istio: {virtualService: {name: vs}}
          managedRoutes: [{name: m}]
        steps:
        - setMirrorRoute:
            name: m
            match:
            - headers:
                x.tenant: {exact: a, prefix: a}
        """;

    assertThat(findings(ROLLOUT.formatted(canary.strip().replace("\n", "\n      ")))).containsExactly(
        "f.yaml:12: Rollout r: spec.strategy.canary.maxSurge, spec.strategy.canary.maxUnavailable: must not both be 0 (the update could never move)",
        "f.yaml:24: Rollout r: spec.strategy.canary.steps[0].setMirrorRoute.match[0].headers[\"x.tenant\"]: set exactly one of exact, prefix, regex, got exact, prefix");
  }

  @Test
  void anAnalysisTemplateUsingAnArgumentItDoesNotDeclareIsNamed() {
    String template = """
        apiVersion: sluice.dev/v1alpha1
        kind: ClusterAnalysisTemplate
        metadata: {name: t}
        spec:
          args: [{name: service}]
          metrics:
          - name: ok
            provider:
              web:
                url: http://{{args.service}}/health?env={{args.env}}
                method: DELETE
        """;

    assertThat(findings(template)).containsExactly(
        "f.yaml:10: ClusterAnalysisTemplate t: spec.metrics[0].provider.web.url: uses {{args.env}} but spec.args has no argument \"env\"",
        "f.yaml:11: ClusterAnalysisTemplate t: spec.metrics[0].provider.web.method: must be GET, POST or PUT, got \"DELETE\"");
  }

  @Test
  void aTemplatedIntervalIsAcceptedAndCheckedWithTheArgumentsValue() {
    String template = """
        apiVersion: sluice.dev/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: t}
        spec:
          args: [{name: analysis-interval}, {name: count, value: "3"}, {name: limit, value: "-5"}]
          metrics:
          - name: ok
            interval: "{{args.analysis-interval}}"
            count: "{{args.count}}"
            failureLimit: "{{args.limit}}"
            provider:
              web: {url: http://health}
        """;

    assertThat(findings(template)).containsExactly(
        "f.yaml:10: AnalysisTemplate t: spec.metrics[0].failureLimit: must be at least -1, got -5 (\"{{args.limit}}\" with the template's argument values)");
  }

  @Test
  void conditionsAreCompiledAsTheAnalysisWillCompileThem() {
    String template = """
        apiVersion: sluice.dev/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: t}
        spec:
          args: [{name: threshold, value: "0.95"}, {name: later}]
          metrics:
          - name: ok
            successCondition: result[0] >= {{args.threshold}} && !isNaN(result[0])
            failureCondition: result[0] < {{args.later}}
            provider: {web: {url: http://health}}
          - name: broken
            successCondition: result[0] >=
            failureCondition: len(result) == 0 ||
            provider: {web: {url: http://health}}
        """;

    assertThat(findings(template)).hasSize(2).satisfies(f -> {
      assertThat(f.get(0)).startsWith("f.yaml:12: AnalysisTemplate t: spec.metrics[1].successCondition: \"result[0] >=\" does not compile: at 1:");
      assertThat(f.get(1)).startsWith("f.yaml:13: AnalysisTemplate t: spec.metrics[1].failureCondition: \"len(result) == 0 ||\" does not compile: at 1:");
    });
  }
}
