package dev.sluice.cli.actions;

import dev.sluice.api.SluiceLabels;
import dev.sluice.cli.CliException;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/** Which ReplicaSet `undo` goes back to, and the pod template it puts back into the rollout. */
public final class UndoTarget {
  private UndoTarget() {}

  /**
   * The ReplicaSet of {@code toRevision}, or without one, of the revision before the current one
   * (the ReplicaSet whose hash is {@code currentPodHash}, else the newest).
   */
  public static ReplicaSet choose(String rolloutName, List<ReplicaSet> owned, String currentPodHash, OptionalLong toRevision) {
    List<ReplicaSet> withRevision = owned.stream().filter(rs -> revision(rs).isPresent())
        .sorted(Comparator.comparingLong((ReplicaSet rs) -> revision(rs).getAsLong()).reversed())
        .collect(Collectors.toList());
    if (withRevision.isEmpty()) {
      throw new CliException("rollout \"" + rolloutName + "\" has no ReplicaSets with a " + SluiceLabels.REVISION + " annotation to go back to");
    }
    if (toRevision.isPresent()) {
      return withRevision.stream().filter(rs -> revision(rs).getAsLong() == toRevision.getAsLong()).findFirst()
          .orElseThrow(() -> new CliException("rollout \"" + rolloutName + "\" has no revision " + toRevision.getAsLong()
              + " (revisions: " + revisions(withRevision) + ")"));
    }
    ReplicaSet currentRs = withRevision.stream().filter(rs -> currentPodHash != null && currentPodHash.equals(hash(rs)))
        .findFirst().orElse(withRevision.get(0));
    long current = revision(currentRs).getAsLong();
    return withRevision.stream().filter(rs -> revision(rs).getAsLong() < current).findFirst()
        .orElseThrow(() -> new CliException("rollout \"" + rolloutName + "\" has no revision before " + current
            + " to go back to (revisions: " + revisions(withRevision) + ")"));
  }

  /** The ReplicaSet's pod template without the pod-template-hash label the controller added to it. */
  public static PodTemplateSpec template(ReplicaSet rs) {
    PodTemplateSpec template = new PodTemplateSpecBuilder(rs.getSpec().getTemplate()).build();
    ObjectMeta metadata = template.getMetadata();
    if (metadata != null && metadata.getLabels() != null) {
      Map<String, String> labels = new LinkedHashMap<>(metadata.getLabels());
      labels.remove(SluiceLabels.POD_TEMPLATE_HASH);
      metadata.setLabels(labels);
    }
    return template;
  }

  public static OptionalLong revision(ReplicaSet rs) {
    Map<String, String> annotations = rs.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(SluiceLabels.REVISION);
    if (value == null) return OptionalLong.empty();
    try {
      return OptionalLong.of(Long.parseLong(value.strip()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static String hash(ReplicaSet rs) {
    Map<String, String> labels = rs.getMetadata().getLabels();
    return labels == null ? null : labels.get(SluiceLabels.POD_TEMPLATE_HASH);
  }

  private static String revisions(List<ReplicaSet> newestFirst) {
    return newestFirst.stream().map(rs -> revision(rs).getAsLong()).sorted().map(Objects::toString)
        .collect(Collectors.joining(", "));
  }
}
