package dev.sluice.controller.plan;

/**
 * The pod anti-affinity Sluice injects into a new ReplicaSet's pods: not on a node
 * ({@code kubernetes.io/hostname}) that runs pods with the stable's pod-template-hash. Required, or
 * preferred with {@code weight}.
 */
public record AntiAffinityTerm(String stableHash, boolean required, int weight) {
  public static final String TOPOLOGY_KEY = "kubernetes.io/hostname";
}
