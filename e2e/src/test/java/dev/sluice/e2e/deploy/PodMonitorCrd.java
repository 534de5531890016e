package dev.sluice.e2e.deploy;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * The PodMonitor kind, which the local cluster lacks (no Prometheus Operator runs here): a trimmed
 * CRD from {@code deploy/podmonitors.monitoring.coreos.com.yaml}, installed only when the cluster
 * has none and removed again by {@link #close()} if this installed it.
 */
final class PodMonitorCrd implements AutoCloseable {
  static final String NAME = "podmonitors.monitoring.coreos.com";

  private final KubernetesClient client;
  private final boolean installedHere;

  private PodMonitorCrd(KubernetesClient client, boolean installedHere) {
    this.client = client;
    this.installedHere = installedHere;
  }

  static PodMonitorCrd ensure(KubernetesClient client) {
    var crds = client.apiextensions().v1().customResourceDefinitions();
    CustomResourceDefinition existing = crds.withName(NAME).get();
    if (existing != null && existing.getMetadata().getDeletionTimestamp() == null) {
      return new PodMonitorCrd(client, false);
    }
    if (existing != null) {
      // another test class's copy is still being deleted: it would vanish under this one
      crds.withName(NAME).waitUntilCondition(java.util.Objects::isNull, 60, TimeUnit.SECONDS);
    }
    try (InputStream in = PodMonitorCrd.class.getResourceAsStream("/deploy/" + NAME + ".yaml")) {
      if (in == null) {
        throw new IllegalStateException("deploy/" + NAME + ".yaml is not on the test classpath");
      }
      CustomResourceDefinition crd = crds.load(in).item();
      client.resource(crd).create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    crds.withName(NAME).waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
        && c.getStatus().getConditions().stream().anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
        60, TimeUnit.SECONDS);
    return new PodMonitorCrd(client, true);
  }

  @Override
  public void close() {
    if (installedHere) {
      var crd = client.apiextensions().v1().customResourceDefinitions().withName(NAME);
      crd.delete();
      // deletion is asynchronous: the next test class must not find a CRD that is about to go
      crd.waitUntilCondition(java.util.Objects::isNull, 60, TimeUnit.SECONDS);
    }
  }
}
