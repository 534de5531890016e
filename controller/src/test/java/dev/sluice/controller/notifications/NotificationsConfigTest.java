package dev.sluice.controller.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controller.notifications.NotificationService.Header;
import dev.sluice.controller.notifications.NotificationService.Slack;
import dev.sluice.controller.notifications.NotificationService.Webhook;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NotificationsConfigTest {
  private static final SecretValues SECRETS = new SecretValues(Map.of("hook-token", "s3cr3t", "slack-token", "xoxb-123",
      "slack-hook", "https://hooks.slack.example/services/T0/B0/abc"));

  private static NotificationsConfig parse(Map<String, String> data) {
    return NotificationsConfig.parse(data, SECRETS);
  }

  @Test
  void aWebhookServiceGetsItsUrlAndHeadersWithTheSecretsValues() {
    var config = parse(Map.of("service.webhook.ops", """
        url: https://ops.example/hooks
        headers:
        - name: Authorization
          value: Bearer $hook-token
        - name: Content-Type
          value: application/json
        """));

    var service = (Webhook) config.service("ops").value().orElseThrow();
    assertThat(service.url()).isEqualTo(URI.create("https://ops.example/hooks"));
    assertThat(service.headers()).containsExactly(new Header("Authorization", "Bearer s3cr3t"), new Header("Content-Type", "application/json"));
    assertThat(service.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void slackTakesABotTokenOrAnIncomingWebhookButNotBoth() {
    var token = parse(Map.of("service.slack", "token: $slack-token\nusername: sluice\nicon: \":ship:\""));
    var hook = parse(Map.of("service.slack.team", "webhookURL: $slack-hook"));
    var both = parse(Map.of("service.slack", "token: $slack-token\nwebhookURL: $slack-hook"));

    assertThat((Slack) token.service("slack").value().orElseThrow()).satisfies(s -> {
      assertThat(s.token()).contains("xoxb-123");
      assertThat(s.apiUrl()).isEqualTo(URI.create("https://slack.com/api"));
      assertThat(s.username()).contains("sluice");
      assertThat(s.icon()).contains(":ship:");
    });
    assertThat(((Slack) hook.service("team").value().orElseThrow()).webhookUrl())
        .contains(URI.create("https://hooks.slack.example/services/T0/B0/abc"));
    assertThat(both.service("slack").problem()).isEqualTo(
        "service.slack: give either token (a bot token, for chat.postMessage) or webhookURL (an incoming webhook)");
  }

  @Test
  void aMissingSecretKeyIsNamedAndNoValueIsShown() {
    var config = parse(Map.of("service.webhook.ops", "url: https://ops.example/$hook-path\n"));

    assertThat(config.service("ops").value()).isEmpty();
    assertThat(config.service("ops").problem())
        .isEqualTo("service.webhook.ops: $hook-path is not a key of the Secret sluice-notifications-secret");
  }

  @Test
  void unknownFieldsAndTypesAreRefusedNotIgnored() {
    var config = parse(Map.of(
        "service.webhook.ops", "url: https://ops.example\nretries: 5\n",
        "service.email", "host: smtp.example\n",
        "trigger.on-rollout-aborted", "- when: rollout.status.phase == 'Degraded'\n  send: [aborted]\n",
        "trigger.on-sync-succeeded", "- send: [x]\n",
        "something", "else"));

    assertThat(config.service("ops").problem())
        .isEqualTo("service.webhook.ops: service has an unknown field \"retries\"; known: headers, url");
    assertThat(config.service("email").problem())
        .isEqualTo("service.email: service type \"email\" is not supported (Sluice has webhook and slack)");
    assertThat(config.trigger(Trigger.ROLLOUT_ABORTED).problem()).isEqualTo("trigger.on-rollout-aborted: trigger has an unknown"
        + " field \"when\" (Sluice's triggers fire once per transition and take no conditions); known: send");
    assertThat(config.problems()).containsExactlyInAnyOrder(
        "unknown key \"something\" (Sluice reads service.*, template.*, trigger.* and context)",
        "trigger.on-sync-succeeded: unknown trigger (known: " + Trigger.known() + ")");
  }

  @Test
  void aBrokenTemplateSpoilsOnlyItself() {
    var config = parse(Map.of(
        "template.good", "message: Rollout {{rollout.metadata.name}} aborted\n",
        "template.broken", "message: Rollout {{#rollout.metadata.name}} aborted\n",
        "trigger.on-rollout-aborted", "- send: [good]\n- send: [broken]\n"));

    assertThat(config.template("good").value()).isPresent();
    assertThat(config.template("broken").value()).isEmpty();
    assertThat(config.template("broken").problem()).startsWith("template \"broken\" (message): ").contains("line 1");
    assertThat(config.trigger(Trigger.ROLLOUT_ABORTED).value()).contains(List.of("good", "broken"));
    assertThat(config.template("absent").problem()).isEqualTo("no template \"absent\" in the ConfigMap sluice-notifications");
  }

  @Test
  void aTemplateNamesItsWebhookRequestsWithPostAsTheDefaultMethod() {
    var config = parse(Map.of("template.t", """
        message: hello
        webhook:
          ops:
            path: /rollouts/{{rollout.metadata.name}}
            body: '{"text": "hello"}'
          audit:
            method: put
        """));

    var t = config.template("t").value().orElseThrow();
    assertThat(t.webhooks()).containsOnlyKeys("ops", "audit");
    assertThat(t.webhooks().get("ops").method()).isEqualTo("POST");
    assertThat(t.webhooks().get("audit").method()).isEqualTo("PUT");
    assertThat(t.webhooks().get("audit").body()).isEqualTo(Optional.empty());
  }

  @Test
  void anUnconfiguredTriggerOrServiceSaysWhatIsMissing() {
    var config = parse(Map.of("context", "env: staging\n"));

    assertThat(config.trigger(Trigger.ROLLOUT_COMPLETED).problem())
        .isEqualTo("trigger.on-rollout-completed is not in the ConfigMap sluice-notifications");
    assertThat(config.service("ops").problem())
        .isEqualTo("no service \"ops\" in the ConfigMap sluice-notifications (service.webhook.ops or service.slack)");
    assertThat(config.context()).containsExactly(Map.entry("env", "staging"));
  }

  @Test
  void secretValuesAreMaskedInAnyText() {
    assertThat(SECRETS.mask("POST https://hooks.slack.example/services/T0/B0/abc failed with Bearer s3cr3t"))
        .isEqualTo("POST *** failed with Bearer ***");
  }
}
