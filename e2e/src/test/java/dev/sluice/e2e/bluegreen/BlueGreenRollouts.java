package dev.sluice.e2e.bluegreen;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.cli.SluiceCli;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/**
 * Blue-green rollouts as a user sets them up: the two Services they create first, the Rollout, job
 * smoke tests as AnalysisTemplates, and {@code kubectl sluice} for the user actions.
 */
final class BlueGreenRollouts {
  /** What kubectl-sluice printed and returned. */
  record CliResult(int exitCode, String out, String err) {}

  private final KubernetesClient k8s;
  private final String namespace;
  private final Path kubeconfig;

  BlueGreenRollouts(KubernetesClient k8s, String namespace, Path kubeconfig) {
    this.k8s = k8s;
    this.namespace = namespace;
    this.kubeconfig = kubeconfig;
  }

  static String activeService(String rollout) {
    return rollout + "-active";
  }

  static String previewService(String rollout) {
    return rollout + "-preview";
  }

  /**
   * A Rollout of {@code replicas} pods of registry.example/app:1.0 with the Services
   * {@code NAME-active} and {@code NAME-preview}; {@code blueGreenExtra} is YAML for the other
   * spec.strategy.blueGreen fields.
   */
  static String manifest(String name, int replicas, int minReadySeconds, String blueGreenExtra) {
    return """
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata:
          name: %1$s
        spec:
          replicas: %2$d
          minReadySeconds: %3$d
          selector:
            matchLabels: {app: %1$s}
          template:
            metadata:
              labels: {app: %1$s}
            spec:
              containers:
              - {name: app, image: registry.example/app:1.0}
          strategy:
            blueGreen:
              activeService: %4$s
              previewService: %5$s
        %6$s
        """.formatted(name, replicas, minReadySeconds, activeService(name), previewService(name), indent(blueGreenExtra, 6));
  }

  /** A Service selecting every pod of the rollout: Sluice adds the pod-template-hash to its selector. */
  private static String service(String name, String app) {
    return """
        apiVersion: v1
        kind: Service
        metadata:
          name: %s
        spec:
          selector: {app: %s}
          ports:
          - {port: 80, targetPort: 8080}
        """.formatted(name, app);
  }

  /**
   * A smoke test run as a Job: one measurement, passes if the Job completes. On this cluster a Job
   * pod whose image contains "fail" exits 1, any other succeeds.
   */
  static String jobTemplate(String name, String metric, String image) {
    return jobTemplate(name, metric, image, "");
  }

  /** As {@link #jobTemplate(String, String, String)}, with {@code metricExtra} (YAML) added to the metric, e.g. an initialDelay. */
  static String jobTemplate(String name, String metric, String image, String metricExtra) {
    return """
        apiVersion: sluice.dev/v1alpha1
        kind: AnalysisTemplate
        metadata:
          name: %s
        spec:
          metrics:
          - name: %s
        %s
            provider:
              job:
                spec:
                  backoffLimit: 0
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - {name: smoke, image: %s}
        """.formatted(name, metric, indent(metricExtra, 4), image);
  }

  /** spec.strategy.blueGreen.prePromotionAnalysis or postPromotionAnalysis (YAML) running one template. */
  static String analysis(String field, String template) {
    return field + ":\n  templates:\n  - templateName: " + template + "\n";
  }

  private static String indent(String block, int spaces) {
    if (block == null || block.isBlank()) return "";
    return block.strip().lines().map(l -> " ".repeat(spaces) + l).reduce((a, b) -> a + "\n" + b).orElse("");
  }

  void create(String yaml) {
    k8s.resource(yaml).inNamespace(namespace).create();
  }

  /** The active and preview Services of {@code rollout}, as the user creates them before the Rollout. */
  void createServices(String rollout) {
    create(service(activeService(rollout), rollout));
    create(service(previewService(rollout), rollout));
  }

  AnalysisRun analysisRun(String name) {
    return k8s.resources(AnalysisRun.class).inNamespace(namespace).withName(name).get();
  }

  /** kubectl sluice ARGS -n NAMESPACE, in-process, with the cluster's kubeconfig. */
  CliResult kubectlSluice(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 4];
    all[0] = "--kubeconfig";
    all[1] = kubeconfig.toString();
    all[2] = "-n";
    all[3] = namespace;
    System.arraycopy(args, 0, all, 4, args.length);
    int exitCode = SluiceCli.run(new PrintWriter(out), new PrintWriter(err), all);
    return new CliResult(exitCode, out.toString(), err.toString());
  }
}
