package dev.sluice.e2e.rolloutanalysis;

import io.fabric8.kubernetes.client.KubernetesClient;

/** AnalysisTemplates as a user writes them: the canary's error ratio from Prometheus, judged the Argo Rollouts way. */
final class AnalysisTemplates {
  private final KubernetesClient k8s;
  private final String namespace;

  AnalysisTemplates(KubernetesClient k8s, String namespace) {
    this.k8s = k8s;
    this.namespace = namespace;
  }

  void create(String yaml) {
    k8s.resource(yaml).inNamespace(namespace).create();
  }

  /**
   * {@code canary_error_ratio{test="<args.test>"}}: below 0.05 passes, 0.1 or more fails, in between
   * is inconclusive. {@code count} measurements a second apart; 0 measures until terminated.
   */
  static String errorRate(String name, String prometheus, int count, int consecutiveErrorLimit) {
    return """
        apiVersion: sluice.dev/v1alpha1
        kind: AnalysisTemplate
        metadata:
          name: %s
        spec:
          args:
          - name: test
          - name: canary-hash
            value: unknown
          metrics:
          - name: error-rate
            interval: 1s
            count: %d
            successCondition: result[0] < 0.05
            failureCondition: result[0] >= 0.1
            consecutiveErrorLimit: %d
            provider:
              prometheus:
                address: %s
                query: canary_error_ratio{test="{{args.test}}"}
                timeout: 2
        """.formatted(name, count, consecutiveErrorLimit, prometheus);
  }

  /** A successCondition that does not compile. */
  static String brokenCondition(String name, String prometheus) {
    return """
        apiVersion: sluice.dev/v1alpha1
        kind: AnalysisTemplate
        metadata:
          name: %s
        spec:
          metrics:
          - name: error-rate
            successCondition: 'result[0] <'
            provider:
              prometheus:
                address: %s
                query: canary_error_ratio{test="good"}
        """.formatted(name, prometheus);
  }

  /** Prometheus behind a gateway that wants the bearer token in Secret {@code secret}. */
  static String bearerToken(String name, String gateway, String secret) {
    return """
        apiVersion: sluice.dev/v1alpha1
        kind: AnalysisTemplate
        metadata:
          name: %s
        spec:
          metrics:
          - name: error-rate
            successCondition: result[0] < 0.05
            consecutiveErrorLimit: 0
            provider:
              prometheus:
                address: %s
                query: canary_error_ratio{test="good"}
                authentication:
                  bearer:
                    secretKeyRef: {name: %s, key: token}
        """.formatted(name, gateway, secret);
  }

  /** An analysis step (YAML list item for Rollouts.manifest's steps) running {@code template} on the series {@code test}. */
  static String step(String template, String test) {
    return """
        - analysis:
            templates:
            - templateName: %s
            args:
            - name: test
              value: %s
            - name: canary-hash
              valueFrom:
                podTemplateHashValue: Latest
        """.formatted(template, test);
  }

  /** spec.strategy.canary.analysis (for Rollouts.manifest's canaryExtra). */
  static String background(String template, String test, int startingStep) {
    return """
        analysis:
          templates:
          - templateName: %s
          args:
          - name: test
            value: %s
          startingStep: %d
        """.formatted(template, test, startingStep);
  }
}
