package dev.sluice.controller.notifications;

import java.util.Map;
import java.util.Optional;

/**
 * A {@code template.<name>} entry: a message (Slack's text), Slack attachments and blocks (JSON,
 * templated), and for each webhook service that should get it, the request to send.
 */
record MessageTemplate(String name, Optional<TemplateText> message, Optional<TemplateText> slackAttachments,
    Optional<TemplateText> slackBlocks, Map<String, WebhookRequest> webhooks) {

  /** {@code webhook.<service>}: method (POST unless given), a path appended to the service's URL, a body. */
  record WebhookRequest(String method, Optional<TemplateText> path, Optional<TemplateText> body) {}
}
