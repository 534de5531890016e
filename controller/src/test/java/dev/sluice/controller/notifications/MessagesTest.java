package dev.sluice.controller.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.controller.notifications.NotificationService.Header;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessagesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecretValues SECRETS = new SecretValues(Map.of("token", "xoxb-1", "hook", "s3cr3t"));
  private static final Map<String, Object> ROLLOUT = Map.of(
      "metadata", Map.of("name", "checkout", "namespace", "shop"),
      "status", Map.of("phase", "Degraded", "message", "Rollout aborted: AnalysisRun \"checkout-2\" Failed"));
  private static final Notice ABORTED = new Notice(Trigger.ROLLOUT_ABORTED, "RolloutAborted",
      "Rollout aborted update to revision 2: AnalysisRun \"checkout-2\" Failed", Optional.empty(), Optional.of("metric"));
  private static final Notice STEP = new Notice(Trigger.ROLLOUT_STEP_COMPLETED, "StepCompleted", "Step 1/3 completed",
      Optional.of(new Notice.StepRef(1, 3, Map.of("setWeight", 20))), Optional.empty());

  private static NotificationsConfig config(String... entries) {
    Map<String, String> data = new HashMap<>(Map.of(
        "service.webhook.ops", """
            url: http://127.0.0.1:9/hooks/
            headers:
            - {name: Content-Type, value: application/json}
            - {name: Authorization, value: Bearer $hook}
            """,
        "service.slack", "token: $token\napiURL: http://127.0.0.1:9/api\n",
        "service.slack.team", "webhookURL: http://127.0.0.1:9/services/$hook\n",
        "context", "env: staging\n"));
    for (int i = 0; i < entries.length; i += 2) {
      data.put(entries[i], entries[i + 1]);
    }
    return NotificationsConfig.parse(data, SECRETS);
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void aWebhookBodyGetsValuesEscapedForJsonAndThePathIsAppendedToTheUrl() throws Exception {
    var config = config(
        "trigger.on-rollout-aborted", "- send: [aborted]\n",
        "template.aborted", """
            webhook:
              ops:
                path: /{{rollout.metadata.namespace}}/{{rollout.metadata.name}}
                body: |
                  {"text": "{{rollout.metadata.name}} aborted ({{reason.abortedBy}}): {{reason.message}}", "env": "{{context.env}}"}
            """);

    var rendered = Messages.render(config, ABORTED, new Subscription(Trigger.ROLLOUT_ABORTED, "ops", ""), ROLLOUT);

    assertThat(rendered.problem()).isEmpty();
    OutgoingRequest request = rendered.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.uri()).isEqualTo(URI.create("http://127.0.0.1:9/hooks/shop/checkout"));
    assertThat(request.headers()).contains(new Header("Authorization", "Bearer s3cr3t"));
    assertThat(json(request.body()).path("text").asText())
        .isEqualTo("checkout aborted (metric): Rollout aborted update to revision 2: AnalysisRun \"checkout-2\" Failed");
    assertThat(json(request.body()).path("env").asText()).isEqualTo("staging");
  }

  @Test
  void slackWithABotTokenPostsToChatPostMessageOnTheRecipientChannel() throws Exception {
    var config = config(
        "trigger.on-rollout-step-completed", "- send: [step]\n",
        "template.step", """
            message: "{{rollout.metadata.name}}: step {{step.number}}/{{step.total}} ({{step.description}}) completed"
            slack:
              attachments: '[{"title": "{{rollout.metadata.name}}", "text": "{{rollout.status.message}}"}]'
            """);

    var request = Messages.render(config, STEP, new Subscription(Trigger.ROLLOUT_STEP_COMPLETED, "slack", "#deploys"), ROLLOUT)
        .requests().get(0);

    assertThat(request.uri()).isEqualTo(URI.create("http://127.0.0.1:9/api/chat.postMessage"));
    assertThat(request.slackApi()).isTrue();
    assertThat(request.headers()).contains(new Header("Authorization", "Bearer xoxb-1"));
    JsonNode body = json(request.body());
    assertThat(body.path("channel").asText()).isEqualTo("#deploys");
    assertThat(body.path("text").asText()).isEqualTo("checkout: step 1/3 (setWeight: 20) completed");
    assertThat(body.at("/attachments/0/text").asText()).isEqualTo("Rollout aborted: AnalysisRun \"checkout-2\" Failed");
  }

  @Test
  void slacksIncomingWebhookHasAFixedChannelSoARecipientIsRefused() {
    var config = config("trigger.on-rollout-aborted", "- send: [aborted]\n", "template.aborted", "message: aborted\n");

    var withRecipient = Messages.render(config, ABORTED, new Subscription(Trigger.ROLLOUT_ABORTED, "team", "#other"), ROLLOUT);
    var without = Messages.render(config, ABORTED, new Subscription(Trigger.ROLLOUT_ABORTED, "team", ""), ROLLOUT);
    var tokenWithout = Messages.render(config, ABORTED, new Subscription(Trigger.ROLLOUT_ABORTED, "slack", ""), ROLLOUT);

    assertThat(withRecipient.problem()).contains("service team posts through an incoming webhook, whose channel is fixed:"
        + " leave the subscription's recipient empty");
    assertThat(without.requests()).singleElement().satisfies(r -> {
      assertThat(r.uri()).isEqualTo(URI.create("http://127.0.0.1:9/services/s3cr3t"));
      assertThat(r.toString()).doesNotContain("s3cr3t");
    });
    assertThat(tokenWithout.problem()).contains("service slack posts with a bot token: the subscription needs a channel as recipient");
  }

  @Test
  void aNameThatIsNotThereIsAnErrorAndNothingIsRenderedButASectionOverItIsSkipped() {
    var config = config(
        "trigger.on-rollout-aborted", "- send: [fine, typo]\n",
        "template.fine", "message: \"{{rollout.metadata.name}}{{#rollout.status.abortedAt}} at {{rollout.status.abortedAt}}{{/rollout.status.abortedAt}}\"\n",
        "template.typo", "message: \"{{rollout.metadata.nmae}} aborted\"\n");

    var rendered = Messages.render(config, ABORTED, new Subscription(Trigger.ROLLOUT_ABORTED, "slack", "#deploys"), ROLLOUT);

    assertThat(rendered.requests()).isEmpty();
    assertThat(rendered.problem()).hasValueSatisfying(p -> assertThat(p)
        .startsWith("template \"typo\" (message): ").contains("rollout.metadata.nmae").contains("line 1"));
  }

  @Test
  void aWebhookNeedsATemplateWithItsSectionAndAttachmentsMustBeJson() {
    var config = config(
        "trigger.on-rollout-aborted", "- send: [slack-only]\n",
        "template.slack-only", "message: aborted\nslack:\n  attachments: '[{\"title\": {{rollout.metadata.name}}}]'\n");

    assertThat(Messages.render(config, ABORTED, new Subscription(Trigger.ROLLOUT_ABORTED, "ops", ""), ROLLOUT).problem())
        .contains("none of the templates of trigger.on-rollout-aborted (slack-only) has a webhook.ops section");
    assertThat(Messages.render(config, ABORTED, new Subscription(Trigger.ROLLOUT_ABORTED, "slack", "#d"), ROLLOUT).problem())
        .hasValueSatisfying(p -> assertThat(p).startsWith("template \"slack-only\" (slack.attachments): did not render to JSON"));
  }

  @Test
  void aRunawayTemplateIsRefused() {
    Map<String, Object> big = Map.of("metadata", Map.of("name", "x".repeat(TemplateText.MAX_RENDERED + 1)));
    var config = config("trigger.on-rollout-aborted", "- send: [t]\n", "template.t", "message: \"{{rollout.metadata.name}}\"\n");

    assertThat(Messages.render(config, ABORTED, new Subscription(Trigger.ROLLOUT_ABORTED, "slack", "#d"), big).problem())
        .contains("template \"t\" (message): rendered to 65537 characters, more than 65536");
  }

  @Test
  void anUnconfiguredTriggerSendsNothing() {
    assertThat(Messages.render(config(), ABORTED, new Subscription(Trigger.ROLLOUT_ABORTED, "ops", ""), ROLLOUT).problem())
        .contains("trigger.on-rollout-aborted is not in the ConfigMap sluice-notifications");
  }
}
