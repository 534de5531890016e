package dev.sluice.controller.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.controller.plan.Action.SetTemplateRole;
import dev.sluice.controller.plan.RoleMetadata;
import java.util.Map;

/**
 * The role metadata a ReplicaSet's pod template carries, kept as JSON in its
 * {@value SetTemplateRole#ANNOTATION} annotation, so that the keys a role added are known when the
 * role changes (and a restarted controller knows them too).
 */
final class RoleAnnotation {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RoleAnnotation() {}

  private record Stored(Map<String, String> labels, Map<String, String> annotations) {}

  static String write(RoleMetadata role) {
    try {
      return JSON.writeValueAsString(new Stored(role.labels(), role.annotations()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A missing or garbled annotation reads as no role metadata (the spec's keys are still put right). */
  static RoleMetadata read(String value) {
    if (value == null) {
      return RoleMetadata.NONE;
    }
    try {
      Stored stored = JSON.readValue(value, Stored.class);
      return new RoleMetadata(stored.labels(), stored.annotations());
    } catch (JsonProcessingException e) {
      return RoleMetadata.NONE;
    }
  }
}
