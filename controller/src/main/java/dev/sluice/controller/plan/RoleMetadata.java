package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.CanaryStrategy.PodMetadata;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labels and annotations a strategy gives the pods of one role (canaryMetadata, stableMetadata,
 * previewMetadata, activeMetadata). Sorted, never null.
 */
public record RoleMetadata(Map<String, String> labels, Map<String, String> annotations) {
  public static final RoleMetadata NONE = new RoleMetadata(Map.of(), Map.of());

  public RoleMetadata {
    labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
    annotations = annotations == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  static RoleMetadata of(PodMetadata metadata) {
    return metadata == null ? NONE : new RoleMetadata(metadata.labels(), metadata.annotations());
  }

  public boolean isEmpty() {
    return labels.isEmpty() && annotations.isEmpty();
  }
}
