package dev.sluice.cli.actions;

import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.stream.Collectors;

/** Which objects belong to a rollout: those with an owner reference to it. */
public final class Ownership {
  private Ownership() {}

  public static boolean ownedBy(HasMetadata object, Rollout rollout) {
    List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
    if (owners == null) return false;
    String uid = rollout.getMetadata().getUid();
    return owners.stream().anyMatch(o -> "Rollout".equals(o.getKind())
        && o.getApiVersion() != null && o.getApiVersion().startsWith(Rollout.GROUP + "/")
        && (uid != null ? uid.equals(o.getUid()) : rollout.getMetadata().getName().equals(o.getName())));
  }

  public static <T extends HasMetadata> List<T> ownedBy(List<T> objects, Rollout rollout) {
    return objects.stream().filter(o -> ownedBy(o, rollout)).collect(Collectors.toList());
  }
}
