package dev.sluice.controller.notifications;

import dev.sluice.controller.notifications.NotificationService.Header;
import java.net.URI;
import java.util.List;

/**
 * One HTTP request a notification makes, rendered and ready to send.
 *
 * @param template the template it was rendered from, for the outcome's event
 * @param slackApi true for chat.postMessage, whose answer says {@code "ok": false} on errors with status 200
 */
record OutgoingRequest(String template, String method, URI uri, List<Header> headers, String body, boolean slackApi) {
  /** Neither the URL nor the headers: either may hold a secret. */
  @Override
  public String toString() {
    return method + " (template " + template + ")";
  }
}
