package dev.sluice.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;

/** Whose an object is: the one check for every object Sluice creates (ReplicaSets, AnalysisRuns, route objects). */
public final class Ownership {
  private Ownership() {}

  /**
   * Whether {@code object}'s controller owner reference is {@code owner}: the same uid, or, while
   * the owner's uid is not known, the same kind and name.
   */
  public static boolean controlledBy(HasMetadata object, OwnerReference owner) {
    List<OwnerReference> refs = object.getMetadata() == null ? null : object.getMetadata().getOwnerReferences();
    if (owner == null || refs == null) {
      return false;
    }
    return refs.stream().anyMatch(ref -> Boolean.TRUE.equals(ref.getController())
        && (owner.getUid() != null
            ? owner.getUid().equals(ref.getUid())
            : owner.getKind().equals(ref.getKind()) && owner.getName().equals(ref.getName())));
  }

  /** Whether {@code object}'s controller owner reference is {@code owner} (by uid). */
  public static boolean controlledBy(HasMetadata object, HasMetadata owner) {
    String uid = owner.getMetadata() == null ? null : owner.getMetadata().getUid();
    if (uid == null) {
      return false;
    }
    OwnerReference ref = new OwnerReference();
    ref.setUid(uid);
    return controlledBy(object, ref);
  }
}
