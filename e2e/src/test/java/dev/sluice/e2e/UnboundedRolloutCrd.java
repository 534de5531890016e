package dev.sluice.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;

/**
 * The Rollout CRD without any of its number bounds (format, minimum, maximum), as CRDs from before
 * the bounds were, or one relaxed by hand: the only way left to store a Rollout that the model
 * cannot read, for tests that show such a Rollout stops nobody. {@link #whileInstalled} puts the
 * committed CRDs back, and waits until the API server refuses such numbers again, before it
 * returns, whether the action failed or not: no other test ever meets the relaxed schema.
 */
public final class UnboundedRolloutCrd {
  /** What the relaxed schema lets through and the committed one refuses, sent as a dry run. */
  private static final String PROBE = """
      apiVersion: sluice.dev/v1alpha1
      kind: Rollout
      metadata: {name: unbounded-crd-probe, namespace: default}
      spec:
        replicas: 1
        selector: {matchLabels: {app: probe}}
        template:
          metadata: {labels: {app: probe}}
          spec: {containers: [{name: app, image: registry.example/probe:1}]}
        strategy: {canary: {maxSurge: 9000000000, steps: [{setWeight: 50}]}}
      """;
  private static final Duration SCHEMA_SWITCH = Duration.ofSeconds(30);

  private UnboundedRolloutCrd() {}

  /** Runs {@code store} (which writes the unreadable Rollouts) with the unbounded CRD in place. */
  public static void whileInstalled(LocalCluster cluster, Runnable store) {
    KubernetesClient k8s = cluster.client();
    try {
      k8s.resource(unbounded(cluster)).forceConflicts().serverSideApply();
      // the API server validates with a CRD's new schema a moment after it took it
      await("the API server validates with the unbounded Rollout schema").atMost(SCHEMA_SWITCH)
          .ignoreException(KubernetesClientException.class).until(() -> probeAccepted(k8s));
      store.run();
    } finally {
      cluster.applyCrds();
      await("the API server refuses out-of-range numbers again").atMost(SCHEMA_SWITCH)
          .ignoreException(KubernetesClientException.class).until(() -> !probeAccepted(k8s));
    }
  }

  private static boolean probeAccepted(KubernetesClient k8s) {
    GenericKubernetesResource probe = Serialization.unmarshal(PROBE, GenericKubernetesResource.class);
    try {
      k8s.resource(probe).dryRun().create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 422) throw e;
      return false;
    }
  }

  private static CustomResourceDefinition unbounded(LocalCluster cluster) {
    try (InputStream in = Files.newInputStream(cluster.repoRoot().resolve("crds/rollouts.sluice.dev-v1.yml"))) {
      CustomResourceDefinition crd = cluster.client().apiextensions().v1().customResourceDefinitions().load(in).item();
      crd.getSpec().getVersions().forEach(v -> stripBounds(v.getSchema().getOpenAPIV3Schema()));
      return crd;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void stripBounds(JSONSchemaProps schema) {
    if (schema == null) return;
    schema.setFormat(null);
    schema.setMinimum(null);
    schema.setMaximum(null);
    if (schema.getProperties() != null) schema.getProperties().values().forEach(UnboundedRolloutCrd::stripBounds);
    if (schema.getItems() != null) stripBounds(schema.getItems().getSchema());
    if (schema.getAdditionalProperties() != null) stripBounds(schema.getAdditionalProperties().getSchema());
  }
}
