package dev.sluice.controller.notifications;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where messages go, from a {@code service.*} entry of the ConfigMap, with the Secret's values
 * already in place. {@code toString} never shows them.
 */
public sealed interface NotificationService {
  String name();

  record Header(String name, String value) {
    @Override
    public String toString() {
      return name + ": ***";
    }
  }

  /** {@code service.webhook.<name>}: requests to {@code url} (plus the template's path) with these headers. */
  record Webhook(String name, URI url, List<Header> headers) implements NotificationService {
    @Override
    public String toString() {
      return "webhook " + name;
    }
  }

  /**
   * {@code service.slack} (or {@code service.slack.<name>}): through an incoming webhook, whose
   * channel is fixed, or with a bot token to {@code <apiURL>/chat.postMessage} on the recipient channel.
   */
  record Slack(String name, Optional<URI> webhookUrl, Optional<String> token, URI apiUrl, Optional<String> username,
      Optional<String> icon) implements NotificationService {
    @Override
    public String toString() {
      return "slack " + name;
    }
  }
}
