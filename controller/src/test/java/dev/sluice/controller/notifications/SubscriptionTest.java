package dev.sluice.controller.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SubscriptionTest {
  @Test
  void annotationsNameTriggerServiceAndRecipients() {
    var parsed = Subscription.fromAnnotations(Map.of(
        "notifications.sluice.dev/subscribe.on-rollout-aborted.slack", "deploys; oncall",
        "notifications.sluice.dev/subscribe.on-rollout-completed.ops-hook", "",
        "notifications.sluice.dev/subscribe.on-sync-failed.slack", "x",
        "notifications.sluice.dev/subscribe.on-rollout-paused", "x",
        "kubectl.kubernetes.io/last-applied-configuration", "{}"));

    assertThat(parsed.to(Trigger.ROLLOUT_ABORTED)).containsExactly(
        new Subscription(Trigger.ROLLOUT_ABORTED, "slack", "deploys"), new Subscription(Trigger.ROLLOUT_ABORTED, "slack", "oncall"));
    assertThat(parsed.to(Trigger.ROLLOUT_COMPLETED)).containsExactly(new Subscription(Trigger.ROLLOUT_COMPLETED, "ops-hook", ""));
    assertThat(parsed.problems()).containsExactly(
        "annotation notifications.sluice.dev/subscribe.on-rollout-paused is not notifications.sluice.dev/subscribe.<trigger>.<service>",
        "annotation notifications.sluice.dev/subscribe.on-sync-failed.slack names an unknown trigger \"on-sync-failed\" (known: "
            + Trigger.known() + ")");
  }
}
