package dev.sluice.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which watch events of a Rollout are the controller's own status writes coming back: the write's
 * own event wakes nothing, whether it comes before or after the write's reply; anything a plan
 * reads that the write did not carry wakes.
 */
class OwnStatusWritesTest {
  final OwnStatusWrites own = new OwnStatusWrites();
  final Rollout read = rollout("web", "9", 1L, Map.of("team", "a"), status(1, null));
  final RolloutStatus planned = status(2, null);

  static Rollout rollout(String name, String resourceVersion, Long generation, Map<String, String> annotations, RolloutStatus status) {
    Rollout r = new Rollout();
    r.setMetadata(new ObjectMetaBuilder().withNamespace("prod").withName(name).withResourceVersion(resourceVersion)
        .withGeneration(generation).withAnnotations(annotations).build());
    r.setStatus(status);
    return r;
  }

  static RolloutStatus status(Integer step, Boolean promoteFull) {
    return new RolloutStatus("Progressing", null, 1L, "new", "old", step, null, 2, 1, 2, 2, 2, null, null, null, null, null, promoteFull,
        null, null, null, List.of());
  }

  @Test
  void theWritesEventIsOwnOnceWhenTheReplyCameFirst() {
    own.writing(read, planned);
    own.wrote(rollout("web", "10", 1L, Map.of("team", "a"), planned));

    assertThat(own.isOwn(rollout("web", "10", 1L, Map.of("team", "a"), planned))).isTrue();
    assertThat(own.isOwn(rollout("web", "10", 1L, Map.of("team", "a"), planned))).as("a second delivery (a relist) wakes it").isFalse();
  }

  @Test
  void theWritesEventIsOwnWhenItCameBeforeTheReply() {
    own.writing(read, planned);

    assertThat(own.isOwn(rollout("web", "10", 1L, Map.of("team", "a"), planned))).isTrue();
    own.wrote(rollout("web", "10", 1L, Map.of("team", "a"), planned));
    assertThat(own.isOwn(rollout("web", "11", 1L, Map.of("team", "a"), planned)))
        .as("the reply does not bring back the write it was taken for").isFalse();
  }

  @Test
  void beforeTheReplyAnythingAPlanReadsThatTheWriteDidNotCarryWakes() {
    own.writing(read, planned);
    assertThat(own.isOwn(rollout("web", "10", 2L, Map.of("team", "a"), planned))).as("a new spec (generation)").isFalse();

    own.writing(read, planned);
    assertThat(own.isOwn(rollout("web", "10", 1L, Map.of("team", "b"), planned))).as("an annotation").isFalse();

    own.writing(read, planned);
    assertThat(own.isOwn(rollout("web", "10", 1L, Map.of("team", "a"), status(2, true)))).as("a promote over the status").isFalse();

    own.writing(read, planned);
    assertThat(own.isOwn(rollout("web", "10", 1L, Map.of("team", "a"), status(1, null)))).as("the status before the write").isFalse();
  }

  @Test
  void afterTheReplyOnlyItsResourceVersionIsOwn() {
    own.writing(read, planned);
    own.wrote(rollout("web", "10", 1L, Map.of("team", "a"), planned));

    assertThat(own.isOwn(rollout("web", "11", 1L, Map.of("team", "a"), status(2, true)))).as("a promote after the write").isFalse();
    assertThat(own.isOwn(rollout("web", "10", 1L, Map.of("team", "a"), planned))).isFalse();
  }

  @Test
  void anEventThatIsNotTheWritesEndsTheWaitForIt() {
    own.writing(read, planned);

    assertThat(own.isOwn(rollout("web", "9", 1L, Map.of("team", "a"), status(1, null)))).as("an older event, late").isFalse();
    assertThat(own.isOwn(rollout("web", "10", 1L, Map.of("team", "a"), planned)))
        .as("then the write's own wakes, as any event does: nothing later can be taken for it").isFalse();
  }

  @Test
  void otherRolloutsAreNotOwn() {
    own.writing(read, planned);

    assertThat(own.isOwn(rollout("api", "10", 1L, Map.of("team", "a"), planned))).isFalse();
    assertThat(own.isOwn(rollout("web", "10", 1L, Map.of("team", "a"), planned))).isTrue();
  }

  @Test
  void aFailedWriteHasNoOwnEvent() {
    own.writing(read, planned);
    own.failed(read);

    assertThat(own.isOwn(rollout("web", "10", 1L, Map.of("team", "a"), planned))).isFalse();
  }

  @Test
  void onlyTheLatestWriteIsRemembered() {
    own.writing(read, status(3, null));
    own.writing(read, planned);

    assertThat(own.isOwn(rollout("web", "10", 1L, Map.of("team", "a"), status(3, null)))).isFalse();
  }

  @Test
  void aDeletedRolloutIsForgotten() {
    own.writing(read, planned);
    own.forget(read);

    assertThat(own.isOwn(rollout("web", "10", 1L, Map.of("team", "a"), planned))).isFalse();
  }

  @Test
  void theResourceTheReconcileWasGivenMayChangeAfterTheAnnouncement() {
    Map<String, String> annotations = new java.util.HashMap<>(Map.of("team", "a"));
    Rollout given = rollout("web", "9", 1L, annotations, status(1, null));
    own.writing(given, planned);
    given.getMetadata().getAnnotations().put("team", "b");
    given.setStatus(planned);

    assertThat(own.isOwn(rollout("web", "10", 1L, Map.of("team", "a"), planned))).isTrue();
  }
}
