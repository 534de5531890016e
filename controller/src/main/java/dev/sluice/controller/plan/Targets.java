package dev.sluice.controller.plan;

import java.util.Map;

/**
 * Where each ReplicaSet should end up: replicas by pod-template-hash; every ReplicaSet not named
 * goes to 0. {@code frozen}: leave all replicas as they are (spec.paused).
 * {@code createDesired}: create the desired ReplicaSet if it does not exist yet.
 */
public record Targets(Map<String, Integer> byHash, boolean frozen, boolean createDesired) {
  public static final Targets FROZEN = new Targets(Map.of(), true, false);

  public static Targets of(Map<String, Integer> byHash) {
    return new Targets(byHash, false, true);
  }

  public int of(String hash) {
    return byHash.getOrDefault(hash, 0);
  }
}
