package dev.sluice.controller.notifications;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.controller.notifications.MessageTemplate.WebhookRequest;
import dev.sluice.controller.notifications.NotificationService.Header;
import dev.sluice.controller.notifications.NotificationService.Slack;
import dev.sluice.controller.notifications.NotificationService.Webhook;
import dev.sluice.controller.notifications.TemplateText.Escaping;
import dev.sluice.controller.notifications.TemplateText.TemplateException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders what one subscription gets for one notice: the trigger's templates for the subscription's
 * service, as HTTP requests. Pure; any problem (a missing service, trigger or template, a template
 * that does not render) means nothing at all is sent for that subscription.
 */
final class Messages {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Messages() {}

  /** The requests to send, or why there are none. */
  record Rendered(String service, List<OutgoingRequest> requests, Optional<String> problem) {
    static Rendered failed(String service, String problem) {
      return new Rendered(service, List.of(), Optional.of(problem));
    }
  }

  static Rendered render(NotificationsConfig config, Notice notice, Subscription subscription, Map<String, Object> rollout) {
    String serviceName = subscription.service();
    var names = config.trigger(notice.trigger());
    if (names.value().isEmpty()) {
      return Rendered.failed(serviceName, names.problem());
    }
    var service = config.service(serviceName);
    if (service.value().isEmpty()) {
      return Rendered.failed(serviceName, service.problem());
    }
    List<MessageTemplate> templates = new ArrayList<>();
    for (String name : names.value().get()) {
      var template = config.template(name);
      if (template.value().isEmpty()) {
        return Rendered.failed(serviceName, template.problem());
      }
      templates.add(template.value().get());
    }
    Map<String, Object> vars = TemplateVars.of(rollout, notice, subscription.recipient(), config.context());
    try {
      NotificationService target = service.value().get();
      List<OutgoingRequest> requests = target instanceof Webhook w ? webhook(w, templates, vars, notice.trigger())
          : slack((Slack) target, templates, vars, subscription.recipient());
      return new Rendered(serviceName, requests, Optional.empty());
    } catch (TemplateException e) {
      return Rendered.failed(serviceName, e.getMessage());
    }
  }

  private static List<OutgoingRequest> webhook(Webhook service, List<MessageTemplate> templates, Map<String, Object> vars,
      Trigger trigger) {
    boolean json = service.headers().stream()
        .anyMatch(h -> h.name().equalsIgnoreCase("Content-Type") && h.value().toLowerCase(Locale.ROOT).contains("json"));
    List<OutgoingRequest> requests = new ArrayList<>();
    for (MessageTemplate t : templates) {
      WebhookRequest r = t.webhooks().get(service.name());
      if (r == null) {
        continue;
      }
      String path = r.path().map(p -> p.render(vars, Escaping.NONE)).orElse("");
      String body = r.body().map(b -> b.render(vars, json ? Escaping.JSON : Escaping.NONE)).orElse(null);
      URI uri = URI.create(stripSlash(service.url().toString()) + path);
      requests.add(new OutgoingRequest(t.name(), r.method(), uri, service.headers(), body, false));
    }
    if (requests.isEmpty()) {
      throw new TemplateException("none of the templates of trigger." + trigger.id() + " ("
          + String.join(", ", templates.stream().map(MessageTemplate::name).toList()) + ") has a webhook." + service.name() + " section");
    }
    return requests;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static List<OutgoingRequest> slack(Slack service, List<MessageTemplate> templates, Map<String, Object> vars,
      String recipient) {
    if (service.token().isPresent() && recipient.isEmpty()) {
      throw new TemplateException("service " + service.name() + " posts with a bot token: the subscription needs a channel as recipient");
    }
    if (service.webhookUrl().isPresent() && !recipient.isEmpty()) {
      throw new TemplateException("service " + service.name()
          + " posts through an incoming webhook, whose channel is fixed: leave the subscription's recipient empty");
    }
    List<OutgoingRequest> requests = new ArrayList<>();
    for (MessageTemplate t : templates) {
      if (t.message().isEmpty() && t.slackAttachments().isEmpty() && t.slackBlocks().isEmpty()) {
        throw new TemplateException("template \"" + t.name() + "\" has nothing for Slack (message, slack.attachments or slack.blocks)");
      }
      ObjectNode body = JSON.createObjectNode();
      if (service.token().isPresent()) {
        body.put("channel", recipient);
      }
      t.message().ifPresent(m -> body.put("text", m.render(vars, Escaping.NONE)));
      t.slackAttachments().ifPresent(a -> body.set("attachments", jsonList(a, vars)));
      t.slackBlocks().ifPresent(b -> body.set("blocks", jsonList(b, vars)));
      service.username().ifPresent(u -> body.put("username", u));
      service.icon().ifPresent(i -> body.put(i.startsWith(":") ? "icon_emoji" : "icon_url", i));
      List<Header> headers = new ArrayList<>(List.of(new Header("Content-Type", "application/json; charset=utf-8")));
      service.token().ifPresent(token -> headers.add(new Header("Authorization", "Bearer " + token)));
      URI uri = service.webhookUrl().orElseGet(() -> URI.create(stripSlash(service.apiUrl().toString()) + "/chat.postMessage"));
      requests.add(new OutgoingRequest(t.name(), "POST", uri, List.copyOf(headers), body.toString(), service.token().isPresent()));
    }
    return requests;
  }

  private static JsonNode jsonList(TemplateText text, Map<String, Object> vars) {
    String rendered = text.render(vars, Escaping.JSON);
    try {
      JsonNode node = JSON.readTree(rendered);
      if (node == null || !node.isArray()) {
        throw new TemplateException(text.label() + ": must render to a JSON list");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new TemplateException(text.label() + ": did not render to JSON: " + e.getOriginalMessage());
    }
  }
}
