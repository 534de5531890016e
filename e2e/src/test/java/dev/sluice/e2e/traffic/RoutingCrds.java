package dev.sluice.e2e.traffic;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs the routing CRDs the local cluster lacks (HTTPRoute, VirtualService, DestinationRule,
 * TrafficSplit) from {@code routing-crds/}, once per JVM. They are minimal CRDs written for these
 * tests, since no mesh or gateway can run here: the routers are tested on the stored objects.
 */
public final class RoutingCrds {
  private static final List<String> FILES = List.of(
      "httproutes.gateway.networking.k8s.io.yaml",
      "virtualservices.networking.istio.io.yaml",
      "destinationrules.networking.istio.io.yaml",
      "trafficsplits.split.smi-spec.io.yaml");
  private static boolean installed;

  private RoutingCrds() {}

  public static synchronized void install(KubernetesClient client) {
    if (installed) {
      return;
    }
    for (String file : FILES) {
      try (InputStream in = RoutingCrds.class.getResourceAsStream("/routing-crds/" + file)) {
        if (in == null) {
          throw new IllegalStateException("routing-crds/" + file + " is not on the test classpath");
        }
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
        client.resource(crd).fieldManager("sluice-e2e").forceConflicts().serverSideApply();
        client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
            .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                && c.getStatus().getConditions().stream()
                .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
                60, TimeUnit.SECONDS);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    installed = true;
  }
}
