package dev.sluice.api.validation;

import static dev.sluice.api.validation.Manifests.template;
import static dev.sluice.api.validation.RolloutValidationTest.texts;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One edit to a valid AnalysisTemplate spec, and the one problem lint names for it. */
class AnalysisTemplateValidationTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      {metrics: []}                                            | spec.metrics: at least one metric is required
      {metrics: [{name: ok, provider: {web: {url: u}}}, {name: ok, provider: {web: {url: u}}}]} | spec.metrics[1].name: metric "ok" is defined twice
      {metrics: [{provider: {web: {url: u}}}]}                 | spec.metrics[0].name: required
      {metrics: [{name: ok}]}                                  | spec.metrics[0].provider: required
      {metrics: [{name: ok, provider: {}}]}                    | spec.metrics[0].provider: set exactly one of prometheus, web, job, judge, got none
      {metrics: [{name: ok, provider: {web: {url: u}, job: {spec: {}}}}]} | spec.metrics[0].provider: set exactly one of prometheus, web, job, judge, got web, job
      {metrics: [{name: ok, provider: {job: {}}}]}             | spec.metrics[0].provider.job.spec: required
      {metrics: [{name: ok, interval: 1 minute, provider: {web: {url: u}}}]} | spec.metrics[0].interval: invalid duration "1 minute": expected integer seconds or a Go duration such as 30s, 5m, 1h30m, 250ms
      {metrics: [{name: ok, initialDelay: -5s, provider: {web: {url: u}}}]} | spec.metrics[0].initialDelay: invalid duration "-5s": must not be negative
      {metrics: [{name: ok, count: 3, provider: {web: {url: u}}}]} | spec.metrics[0].interval: required when count is more than 1
      {metrics: [{name: ok, count: -1, provider: {web: {url: u}}}]} | spec.metrics[0].count: must be 0 or more, got -1
      {metrics: [{name: ok, failureLimit: many, provider: {web: {url: u}}}]} | spec.metrics[0].failureLimit: must be an integer or an {{args.name}} placeholder, got "many"
      {metrics: [{name: ok, failureLimit: -2, provider: {web: {url: u}}}]} | spec.metrics[0].failureLimit: must be at least -1, got -2
      {metrics: [{name: ok, consecutiveSuccessLimit: "0", provider: {web: {url: u}}}]} | spec.metrics[0].consecutiveSuccessLimit: must be at least 1, got 0
      {metrics: [{name: ok, interval: "{{args.every}}", provider: {web: {url: u}}}]} | spec.metrics[0].interval: uses {{args.every}} but spec.args has no argument "every"
      {args: [{name: every, value: often}], metrics: [{name: ok, interval: "{{args.every}}", provider: {web: {url: u}}}]} | spec.metrics[0].interval: invalid duration "often": expected integer seconds or a Go duration such as 30s, 5m, 1h30m, 250ms ("{{args.every}}" with the template's argument values)
      {args: [{name: wait, value: "-1m"}], metrics: [{name: ok, initialDelay: "{{args.wait}}", provider: {web: {url: u}}}]} | spec.metrics[0].initialDelay: invalid duration "-1m": must not be negative ("{{args.wait}}" with the template's argument values)
      {args: [{name: n, value: "-3"}], metrics: [{name: ok, interval: 1m, count: "{{args.n}}", provider: {web: {url: u}}}]} | spec.metrics[0].count: must be 0 or more, got -3 ("{{args.n}}" with the template's argument values)
      {args: [{name: n, value: lots}], metrics: [{name: ok, inconclusiveLimit: "{{args.n}}", provider: {web: {url: u}}}]} | spec.metrics[0].inconclusiveLimit: must be an integer or an {{args.name}} placeholder, got "lots" ("{{args.n}}" with the template's argument values)
      {metrics: [{name: ok, consecutiveErrorLimit: "{{args.errors}}", provider: {web: {url: u}}}]} | spec.metrics[0].consecutiveErrorLimit: uses {{args.errors}} but spec.args has no argument "errors"
      {args: [{name: n, value: "5"}], metrics: [{name: ok, count: "{{args.n}}", provider: {web: {url: u}}}]} | spec.metrics[0].interval: required when count is more than 1
      {metrics: [{name: ok, provider: {prometheus: {query: up}}}]} | spec.metrics[0].provider.prometheus.address: required
      {metrics: [{name: ok, provider: {prometheus: {address: "http://p", query: up, timeout: 0}}}]} | spec.metrics[0].provider.prometheus.timeout: must be between 1 and 120, got 0
      {metrics: [{name: ok, provider: {prometheus: {address: "http://p", query: up, timeout: 121}}}]} | spec.metrics[0].provider.prometheus.timeout: must be between 1 and 120, got 121
      {metrics: [{name: ok, provider: {prometheus: {address: "http://p", query: up, authentication: {}}}}]} | spec.metrics[0].provider.prometheus.authentication: set exactly one of bearer, basic, got none
      {metrics: [{name: ok, provider: {prometheus: {address: "http://p", query: "up{job=\\"{{args.job}}\\"}"}}}]} | spec.metrics[0].provider.prometheus.query: uses {{args.job}} but spec.args has no argument "job"
      {metrics: [{name: ok, provider: {web: {url: u}, judge: {prometheus: {address: "http://p"}, canaryQuery: c, baselineQuery: b}}}]} | spec.metrics[0].provider: set exactly one of prometheus, web, job, judge, got web, judge
      {metrics: [{name: ok, provider: {judge: {canaryQuery: c, baselineQuery: b}}}]} | spec.metrics[0].provider.judge.prometheus: required (the Prometheus to run the range queries against)
      {metrics: [{name: ok, provider: {judge: {prometheus: {address: "http://p"}, canaryQuery: c}}}]} | spec.metrics[0].provider.judge.baselineQuery: required
      {metrics: [{name: ok, provider: {judge: {prometheus: {address: "http://p"}, canaryQuery: c, baselineQuery: b, direction: up}}}]} | spec.metrics[0].provider.judge.direction: must be increase, decrease or either, got "up"
      {metrics: [{name: ok, provider: {judge: {prometheus: {address: "http://p"}, canaryQuery: c, baselineQuery: b, method: kayenta}}}]} | spec.metrics[0].provider.judge.method: must be sequential or mann-whitney, got "kayenta"
      {metrics: [{name: ok, provider: {judge: {prometheus: {address: "http://p"}, canaryQuery: c, baselineQuery: b, alpha: 1}}}]} | spec.metrics[0].provider.judge.alpha: must be between 0 and 1 (exclusive), got 1.0
      {metrics: [{name: ok, provider: {judge: {prometheus: {address: "http://p"}, canaryQuery: c, baselineQuery: b, tolerance: -0.1}}}]} | spec.metrics[0].provider.judge.tolerance: must be a number of at least 0 (a relative change, 0.1 = 10%), got -0.1
      {metrics: [{name: ok, provider: {judge: {prometheus: {address: "http://p"}, canaryQuery: c, baselineQuery: b, sampleStep: 500ms}}}]} | spec.metrics[0].provider.judge.sampleStep: must be at least 1s, got "500ms"
      {metrics: [{name: ok, provider: {judge: {prometheus: {address: "http://p", timeout: 0}, canaryQuery: c, baselineQuery: b}}}]} | spec.metrics[0].provider.judge.prometheus.timeout: must be at least 1, got 0
      {metrics: [{name: ok, provider: {judge: {prometheus: {address: "http://p"}, canaryQuery: "x{hash=\\"{{args.canary}}\\"}", baselineQuery: b}}}]} | spec.metrics[0].provider.judge.canaryQuery: uses {{args.canary}} but spec.args has no argument "canary"
      {metrics: [{name: ok, provider: {web: {url: u, headers: [{value: v}]}}}]} | spec.metrics[0].provider.web.headers[0].key: required
      {metrics: [{name: ok, provider: {web: {url: u, method: DELETE}}}]} | spec.metrics[0].provider.web.method: must be GET, POST or PUT, got "DELETE"
      {metrics: [{name: ok, provider: {web: {url: u, body: "{}"}}}]} | spec.metrics[0].provider.web.body: needs method POST or PUT
      {metrics: [{name: ok, provider: {web: {url: u, timeoutSeconds: 0}}}]} | spec.metrics[0].provider.web.timeoutSeconds: must be between 1 and 120, got 0
      {metrics: [{name: ok, provider: {web: {url: u, timeoutSeconds: 86400}}}]} | spec.metrics[0].provider.web.timeoutSeconds: must be between 1 and 120, got 86400
      {args: [{name: service}, {name: service}]}               | spec.args[1].name: argument "service" is given twice
      {args: [{value: x}]}                                     | spec.args[0].name: required
      {args: [{name: service, value: a, valueFrom: {podTemplateHashValue: Stable}}]} | spec.args[0]: set at most one of value and valueFrom for argument "service"
      {args: [{name: token, valueFrom: {secretKeyRef: {key: token}}}]} | spec.args[0].valueFrom.secretKeyRef.name: required
      {dryRun: [{}]}                                           | spec.dryRun[0].metricName: required
      {dryRun: [{metricName: "*"}]}                            | spec.dryRun[0].metricName: "*" is not a regular expression (missing argument to repetition operator; to select every metric write ".*")
      {measurementRetention: [{metricName: "rate(", limit: 2}]} | spec.measurementRetention[0].metricName: "rate(" is not a regular expression (missing closing ))
      {measurementRetention: [{metricName: ok, limit: 0}]}     | spec.measurementRetention[0].limit: must be at least 1, got 0
      """)
  void templateRules(String edit, String problem) {
    assertThat(texts(AnalysisTemplateValidation.validate(template(edit)))).containsExactly(problem);
  }

  @Test
  void acceptsArgumentsLeftToTheRolloutAndPlaceholdersForLimits() {
    var spec = template("""
        args:
        - name: service
        - name: limit
          value: "3"
        - name: api-token
          valueFrom: {secretKeyRef: {name: prometheus, key: token}}
        metrics:
        - name: success-rate
          interval: 30s
          count: 5
          failureLimit: "{{args.limit}}"
          successCondition: result[0] >= 0.95
          provider:
            prometheus:
              address: http://prometheus.monitoring:9090
              query: sum(rate(http_requests_total{service="{{args.service}}"}[1m]))
              headers: [{key: Authorization, value: "Bearer {{args.api-token}}"}]
        dryRun: [{metricName: success-rate}]
        measurementRetention: [{metricName: success-rate, limit: 10}]
        """);

    assertThat(AnalysisTemplateValidation.validate(spec)).isEmpty();
  }

  @Test
  void acceptsAJudgeMetricComparingTheCanaryWithTheStable() {
    var spec = template("""
        args:
        - name: canary-hash
          valueFrom: {podTemplateHashValue: Latest}
        - name: stable-hash
          valueFrom: {podTemplateHashValue: Stable}
        metrics:
        - name: error-rate
          interval: 30s
          count: 10
          provider:
            judge:
              prometheus: {address: http://prometheus.monitoring:9090, timeout: 10}
              canaryQuery: sum(rate(errors{hash="{{args.canary-hash}}"}[1m])) / sum(rate(requests{hash="{{args.canary-hash}}"}[1m]))
              baselineQuery: sum(rate(errors{hash="{{args.stable-hash}}"}[1m])) / sum(rate(requests{hash="{{args.stable-hash}}"}[1m]))
              direction: increase
              tolerance: 0.05
              method: mann-whitney
              alpha: 0.05
              sampleStep: 15s
        """);

    assertThat(AnalysisTemplateValidation.validate(spec)).isEmpty();
  }

  @Test
  void acceptsArgumentsInEveryFieldArgoResolvesThemIn() {
    var spec = template("""
        args:
        - name: analysis-interval
          value: 30s
        - name: delay
        - name: count
          value: "5"
        - name: limits
          value: "2"
        - name: threshold
          value: "0.95"
        metrics:
        - name: success-rate
          interval: "{{args.analysis-interval}}"
          initialDelay: "{{args.delay}}"
          count: "{{args.count}}"
          failureLimit: "{{args.limits}}"
          inconclusiveLimit: "{{args.limits}}"
          consecutiveErrorLimit: "{{args.limits}}"
          successCondition: result[0] >= {{args.threshold}}
          provider:
            web:
              url: http://metrics/{{args.count}}
        """);

    assertThat(AnalysisTemplateValidation.validate(spec)).isEmpty();
  }

  @Test
  void aSpecIsRequired() {
    assertThat(texts(AnalysisTemplateValidation.validate(null))).containsExactly("spec: required");
  }
}
