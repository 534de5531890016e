package dev.sluice.api;

import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whose an object is: the one owner-reference check. The controller acts only on what it controls
 * ({@link #controlledBy}: the controller owner reference); the kubectl plugin shows what a rollout
 * owns ({@link #ownedBy}: any owner reference, as Argo Rollouts' plugin matches by uid), so a run
 * someone made by hand with a plain owner reference to the rollout is shown with it.
 */
public final class Ownership {
  private Ownership() {}

  /**
   * Whether {@code object}'s controller owner reference is {@code owner}: the same uid (and, when
   * {@code owner} names them, the same kind and API group), or, while the owner's uid is not known,
   * the same kind and name.
   */
  public static boolean controlledBy(HasMetadata object, OwnerReference owner) {
    return hasReference(object, owner, true);
  }

  /** Whether {@code object}'s controller owner reference is {@code owner} (by uid, kind and API group). */
  public static boolean controlledBy(HasMetadata object, HasMetadata owner) {
    return hasReference(object, referenceTo(owner), true);
  }

  /** The objects of {@code objects} whose controller owner reference is {@code owner}. */
  public static <T extends HasMetadata> List<T> controlledBy(List<T> objects, HasMetadata owner) {
    return objects.stream().filter(o -> controlledBy(o, owner)).toList();
  }

  /** Whether any owner reference of {@code object}, controller or not, is {@code owner} (by uid, kind and API group). */
  public static boolean ownedBy(HasMetadata object, HasMetadata owner) {
    return hasReference(object, referenceTo(owner), false);
  }

  /** The objects of {@code objects} with an owner reference, controller or not, to {@code owner}. */
  public static <T extends HasMetadata> List<T> ownedBy(List<T> objects, HasMetadata owner) {
    return objects.stream().filter(o -> ownedBy(o, owner)).toList();
  }

  private static boolean hasReference(HasMetadata object, OwnerReference owner, boolean controllerOnly) {
    List<OwnerReference> refs = object.getMetadata() == null ? null : object.getMetadata().getOwnerReferences();
    if (owner == null || refs == null) {
      return false;
    }
    return refs.stream().anyMatch(ref -> (!controllerOnly || Boolean.TRUE.equals(ref.getController()))
        && (owner.getUid() != null
            ? owner.getUid().equals(ref.getUid()) && sameKind(owner, ref)
            : owner.getKind().equals(ref.getKind()) && owner.getName().equals(ref.getName())));
  }

  /** A reference to {@code owner} by uid, kind and API group; null while its uid is not known. */
  private static OwnerReference referenceTo(HasMetadata owner) {
    String uid = owner.getMetadata() == null ? null : owner.getMetadata().getUid();
    if (uid == null) {
      return null;
    }
    OwnerReference ref = new OwnerReference();
    ref.setUid(uid);
    ref.setKind(owner.getKind());
    ref.setApiVersion(owner.getApiVersion());
    return ref;
  }

  /** The owner reference of {@code object} to a Sluice Rollout (by kind and API group), if it has one. */
  public static Optional<OwnerReference> rolloutOwner(HasMetadata object) {
    List<OwnerReference> refs = object.getMetadata() == null ? null : object.getMetadata().getOwnerReferences();
    return refs == null ? Optional.empty() : refs.stream()
        .filter(ref -> "Rollout".equals(ref.getKind()) && Rollout.GROUP.equals(group(ref.getApiVersion())))
        .findFirst();
  }

  private static boolean sameKind(OwnerReference owner, OwnerReference ref) {
    return (owner.getKind() == null || owner.getKind().equals(ref.getKind()))
        && (owner.getApiVersion() == null || Objects.equals(group(owner.getApiVersion()), group(ref.getApiVersion())));
  }

  /** {@code apps} of {@code apps/v1}; empty for the core group's {@code v1}. */
  private static String group(String apiVersion) {
    if (apiVersion == null) {
      return null;
    }
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }
}
