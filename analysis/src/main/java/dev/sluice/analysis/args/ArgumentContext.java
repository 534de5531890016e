package dev.sluice.analysis.args;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@code valueFrom.fieldRef} and {@code valueFrom.podTemplateHashValue} read: the Rollout
 * (as JSON) and the pod-template-hash of its stable and latest ReplicaSets. Any part may be null
 * when unknown; an argument that needs it then fails with a clear message.
 */
public record ArgumentContext(JsonNode rollout, String stablePodTemplateHash, String latestPodTemplateHash) {
  public static ArgumentContext none() {
    return new ArgumentContext(null, null, null);
  }
}
