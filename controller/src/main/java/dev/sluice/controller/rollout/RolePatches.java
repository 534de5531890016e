package dev.sluice.controller.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.controller.plan.Action.SetTemplateRole;
import dev.sluice.controller.plan.MetadataChange;
import io.fabric8.kubernetes.api.model.Affinity;

/** The JSON merge patches that move pod roles (a null value removes a key). Pure. */
final class RolePatches {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RolePatches() {}

  /** {@code metadata.labels} and {@code metadata.annotations} of a pod. */
  static String metadata(MetadataChange change) {
    ObjectNode patch = JSON.createObjectNode();
    putMetadata(patch.putObject("metadata"), change);
    return patch.toString();
  }

  /** A ReplicaSet's pod template metadata, and the record of its role on the ReplicaSet. */
  static String templateRole(SetTemplateRole action) {
    ObjectNode patch = JSON.createObjectNode();
    ObjectNode annotations = patch.putObject("metadata").putObject("annotations");
    if (action.role().isEmpty()) {
      annotations.putNull(SetTemplateRole.ANNOTATION);
    } else {
      annotations.put(SetTemplateRole.ANNOTATION, RoleAnnotation.write(action.role()));
    }
    putMetadata(patch.putObject("spec").putObject("template").putObject("metadata"), action.change());
    return patch.toString();
  }

  /**
   * A ReplicaSet's pod template affinity, {@code affinity} as a whole: its podAntiAffinity lists
   * are replaced (a merge patch replaces lists), one it no longer has is removed.
   */
  static String affinity(Affinity affinity) {
    ObjectNode patch = JSON.createObjectNode();
    ObjectNode templateSpec = patch.putObject("spec").putObject("template").putObject("spec");
    if (affinity == null) {
      templateSpec.putNull("affinity");
      return patch.toString();
    }
    ObjectNode node = JSON.valueToTree(affinity);
    if (affinity.getPodAntiAffinity() == null) {
      node.putNull("podAntiAffinity");
    } else {
      ObjectNode anti = (ObjectNode) node.get("podAntiAffinity");
      for (String list : new String[] {"requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution"}) {
        if (anti.get(list) == null || anti.get(list).isEmpty()) {
          anti.putNull(list);
        }
      }
    }
    templateSpec.set("affinity", node);
    return patch.toString();
  }

  private static void putMetadata(ObjectNode metadata, MetadataChange change) {
    if (!change.setLabels().isEmpty() || !change.removeLabels().isEmpty()) {
      ObjectNode labels = metadata.putObject("labels");
      change.setLabels().forEach(labels::put);
      change.removeLabels().forEach(labels::putNull);
    }
    if (!change.setAnnotations().isEmpty() || !change.removeAnnotations().isEmpty()) {
      ObjectNode annotations = metadata.putObject("annotations");
      change.setAnnotations().forEach(annotations::put);
      change.removeAnnotations().forEach(annotations::putNull);
    }
  }
}
