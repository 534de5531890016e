package dev.sluice.e2e.analysis;

import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.AnalysisRunSpec;
import dev.sluice.api.v1alpha1.AnalysisRunStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Creates AnalysisRuns from the manifests in {@code src/test/resources/analysis/} and watches their status. */
final class AnalysisRuns {
  private static final Set<String> COMPLETED = Set.of("Successful", "Failed", "Error", "Inconclusive");

  private final KubernetesClient k8s;
  private final String namespace;

  AnalysisRuns(KubernetesClient k8s, String namespace) {
    this.k8s = k8s;
    this.namespace = namespace;
  }

  /** Loads {@code analysis/<file>}, replaces each {@code ${KEY}}, and creates the run. */
  AnalysisRun create(String file, Map<String, String> values) {
    String yaml = manifest(file);
    for (var e : values.entrySet()) {
      yaml = yaml.replace("${" + e.getKey() + "}", e.getValue());
    }
    if (yaml.contains("${")) {
      throw new IllegalArgumentException(file + " still has a placeholder: " + yaml);
    }
    return k8s.resources(AnalysisRun.class).inNamespace(namespace).load(
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).create();
  }

  AnalysisRun get(String name) {
    return k8s.resources(AnalysisRun.class).inNamespace(namespace).withName(name).get();
  }

  AnalysisRunStatus status(String name) {
    AnalysisRun run = get(name);
    return run == null ? null : run.getStatus();
  }

  AnalysisRunStatus.MetricResult metric(String run, String metric) {
    return status(run).metricResults().stream().filter(m -> m.name().equals(metric)).findFirst().orElseThrow();
  }

  /** Waits for the run to complete and returns its final status. */
  AnalysisRunStatus awaitCompletion(String name, Duration atMost) {
    await(name + " completes").atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
      AnalysisRunStatus s = status(name);
      return s != null && COMPLETED.contains(s.phase());
    });
    return status(name);
  }

  /** What a Rollout does when it no longer needs the run: {@code spec.terminate: true}. */
  void terminate(String name) {
    k8s.resources(AnalysisRun.class).inNamespace(namespace).withName(name).edit(r -> {
      var s = r.getSpec();
      r.setSpec(new AnalysisRunSpec(s.metrics(), s.args(), true, s.dryRun(), s.measurementRetention()));
      return r;
    });
  }

  static String manifest(String file) {
    try (InputStream in = AnalysisRuns.class.getResourceAsStream("/analysis/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource analysis/" + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
