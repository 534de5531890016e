package dev.sluice.controller;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The status each reconcile writes, so that the watch bringing it back does not queue another
 * reconcile: the one that wrote it planned from everything that event carries, and a change anyone
 * made after it is an event of its own. A status write conflicts with one made before it (it is sent
 * with the resourceVersion it was planned from), so no one else's change hides behind an own write.
 *
 * <p>The write is announced before it is sent ({@link #writing}): its watch event often arrives
 * before the reply that tells its resourceVersion, so an event is own when it carries the
 * resourceVersion the write returned, or, while that is not known, exactly what the reconcile
 * planned from with the status it wrote (spec, generation, the metadata a plan can read, the
 * status). At most one write is remembered per resource, and only until the next event of it: an
 * event that is not the write's own ends the wait for it (its own then wakes a reconcile, as any
 * event does), so no later event can be taken for it.
 */
public final class OwnStatusWrites {
  private final Map<ResourceID, Expected> expected = new ConcurrentHashMap<>();

  /** What an event of an own write carries; {@code resourceVersion} null until the write returns. */
  private record Expected(Content content, String resourceVersion) {}

  /** What a reconcile can read of a resource, besides its resourceVersion and managedFields. */
  private record Content(Long generation, Object spec, Object status, Map<String, String> labels,
      Map<String, String> annotations, Object finalizers, String deletionTimestamp, Object ownerReferences) {
    static Content of(CustomResource<?, ?> resource, Object status) {
      ObjectMeta meta = resource.getMetadata();
      // copies: the resource a reconcile was given may be changed by its own write
      return new Content(meta.getGeneration(), resource.getSpec(), status, copy(meta.getLabels()), copy(meta.getAnnotations()),
          meta.getFinalizers() == null ? null : List.copyOf(meta.getFinalizers()), meta.getDeletionTimestamp(),
          meta.getOwnerReferences() == null ? null : List.copyOf(meta.getOwnerReferences()));
    }

    private static Map<String, String> copy(Map<String, String> map) {
      return map == null ? null : new HashMap<>(map);
    }
  }

  /** Just before writing {@code status} over the status of {@code plannedFrom}, the resource the reconcile planned from. */
  public void writing(CustomResource<?, ?> plannedFrom, Object status) {
    expected.put(ResourceID.fromResource(plannedFrom), new Expected(Content.of(plannedFrom, status), null));
  }

  /** {@code updated} as the API server returned it from the write announced with {@link #writing}. */
  public void wrote(CustomResource<?, ?> updated) {
    expected.computeIfPresent(ResourceID.fromResource(updated),
        (id, e) -> new Expected(e.content(), updated.getMetadata().getResourceVersion()));
  }

  /** The write announced for {@code resource} failed: none of its events is own. */
  public void failed(CustomResource<?, ?> resource) {
    expected.remove(ResourceID.fromResource(resource));
  }

  /**
   * For each update event of a resource, in the order they come: true for the event of its latest
   * announced write, once.
   */
  public boolean isOwn(CustomResource<?, ?> now) {
    Expected e = expected.remove(ResourceID.fromResource(now));
    if (e == null) {
      return false;
    }
    String version = now.getMetadata().getResourceVersion();
    return e.resourceVersion() != null ? e.resourceVersion().equals(version)
        : Objects.equals(e.content(), Content.of(now, now.getStatus()));
  }

  /** The resource is gone. */
  public void forget(CustomResource<?, ?> resource) {
    expected.remove(ResourceID.fromResource(resource));
  }
}
