package dev.sluice.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

/** Which watch events of a Rollout are the controller's own status writes coming back. */
class OwnStatusWritesTest {
  final OwnStatusWrites own = new OwnStatusWrites();

  static Rollout rollout(String name, String resourceVersion) {
    Rollout r = new Rollout();
    r.setMetadata(new ObjectMetaBuilder().withNamespace("prod").withName(name).withResourceVersion(resourceVersion).build());
    return r;
  }

  @Test
  void theEventOfTheLatestWriteIsOwnOnce() {
    own.wrote(rollout("web", "10"));

    assertThat(own.isOwn(rollout("web", "10"))).isTrue();
    assertThat(own.isOwn(rollout("web", "10"))).as("a second delivery (a relist) wakes it").isFalse();
  }

  @Test
  void anyoneElsesChangeIsNot() {
    own.wrote(rollout("web", "10"));

    assertThat(own.isOwn(rollout("web", "11"))).as("a promote after the write").isFalse();
    assertThat(own.isOwn(rollout("api", "10"))).as("another rollout").isFalse();
    assertThat(own.isOwn(rollout("web", null))).isFalse();
  }

  @Test
  void onlyTheLatestWriteIsRemembered() {
    own.wrote(rollout("web", "10"));
    own.wrote(rollout("web", "12"));

    assertThat(own.isOwn(rollout("web", "10"))).isFalse();
    assertThat(own.isOwn(rollout("web", "12"))).isTrue();
  }

  @Test
  void aDeletedRolloutIsForgotten() {
    own.wrote(rollout("web", "10"));
    own.forget(rollout("web", "10"));

    assertThat(own.isOwn(rollout("web", "10"))).isFalse();
  }
}
