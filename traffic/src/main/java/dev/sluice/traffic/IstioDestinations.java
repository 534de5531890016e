package dev.sluice.traffic;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which VirtualService destinations are the canary and which the stable: by Service host
 * (host-level split) or, with a DestinationRule, by subset name (subset-level split).
 */
record IstioDestinations(String canaryHost, String stableHost, String namespace, String canarySubset, String stableSubset) {

  static IstioDestinations byHost(String canaryService, String stableService, String namespace) {
    return new IstioDestinations(canaryService, stableService, namespace, null, null);
  }

  static IstioDestinations bySubset(String canarySubset, String stableSubset) {
    return new IstioDestinations(null, null, null, canarySubset, stableSubset);
  }

  boolean subsetLevel() {
    return canarySubset != null;
  }

  boolean isCanary(JsonNode destination) {
    return subsetLevel() ? canarySubset.equals(JsonTrees.text(destination, "subset"))
        : JsonTrees.text(destination, "subset") == null && isHost(JsonTrees.text(destination, "host"), canaryHost);
  }

  boolean isStable(JsonNode destination) {
    return subsetLevel() ? stableSubset.equals(JsonTrees.text(destination, "subset"))
        : JsonTrees.text(destination, "subset") == null && isHost(JsonTrees.text(destination, "host"), stableHost);
  }

  /** For messages: {@code host demo-canary} or {@code subset canary}. */
  String canaryLabel() {
    return subsetLevel() ? "subset " + canarySubset : "host " + canaryHost;
  }

  String stableLabel() {
    return subsetLevel() ? "subset " + stableSubset : "host " + stableHost;
  }

  /** A short name, {@code name.namespace}, or the cluster-local FQDN of the Service. */
  private boolean isHost(String host, String service) {
    if (host == null) {
      return false;
    }
    String qualified = service + "." + namespace;
    return host.equals(service) || host.equals(qualified) || host.startsWith(qualified + ".svc");
  }
}
