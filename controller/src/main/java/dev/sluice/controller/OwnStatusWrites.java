package dev.sluice.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The status each reconcile wrote (its resourceVersion), so that the watch bringing it back does not
 * queue another reconcile: the one that wrote it planned from everything that event carries, and a
 * change anyone made after it is an event of its own. A status write conflicts with one made before
 * it (it is sent with the resourceVersion it was planned from), so no one else's change hides behind
 * an own write. At most one entry per resource: each write replaces the last.
 */
public final class OwnStatusWrites {
  private final Map<ResourceID, String> written = new ConcurrentHashMap<>();

  /** {@code updated} as the API server returned it from this controller's status write. */
  public void wrote(HasMetadata updated) {
    written.put(ResourceID.fromResource(updated), updated.getMetadata().getResourceVersion());
  }

  /** True, once, for the watch event of the latest status this controller wrote of the resource. */
  public boolean isOwn(HasMetadata now) {
    String version = now.getMetadata().getResourceVersion();
    return version != null && written.remove(ResourceID.fromResource(now), version);
  }

  /** The resource is gone. */
  public void forget(HasMetadata resource) {
    written.remove(ResourceID.fromResource(resource));
  }
}
