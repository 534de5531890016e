package dev.sluice.controller.notifications;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.controller.notifications.MessageTemplate.WebhookRequest;
import dev.sluice.controller.notifications.NotificationService.Header;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ConfigMap {@value #CONFIG_MAP} in the controller's namespace, read the way Argo Rollouts
 * reads its notification ConfigMap: {@code service.webhook.<name>}, {@code service.slack},
 * {@code template.<name>}, {@code trigger.<trigger>} and {@code context}, each a YAML value.
 *
 * <p>Each entry is parsed on its own: a broken one is kept as a problem that fails only the
 * notifications that need it (with the problem in their NotificationFailed event), never the others.
 * Keys and fields Sluice does not know are problems, not silently ignored.
 */
public final class NotificationsConfig {
  public static final String CONFIG_MAP = "sluice-notifications";
  static final URI SLACK_API = URI.create("https://slack.com/api");
  private static final YAMLMapper YAML = new YAMLMapper();

  private final Map<String, NotificationService> services = new LinkedHashMap<>();
  private final Map<String, String> serviceProblems = new TreeMap<>();
  private final Map<String, MessageTemplate> templates = new LinkedHashMap<>();
  private final Map<String, String> templateProblems = new TreeMap<>();
  private final Map<Trigger, List<String>> triggers = new LinkedHashMap<>();
  private final Map<String, String> triggerProblems = new TreeMap<>();
  private final Map<String, String> context = new TreeMap<>();
  private final List<String> problems = new ArrayList<>();
  private final SecretValues secrets;

  private NotificationsConfig(SecretValues secrets) {
    this.secrets = secrets;
  }

  /**
   * @param data the ConfigMap's data
   * @param secrets the Secret's values, for {@code $key} in services
   */
  public static NotificationsConfig parse(Map<String, String> data, SecretValues secrets) {
    var config = new NotificationsConfig(secrets);
    new TreeMap<>(data).forEach(config::entry);
    return config;
  }

  private void entry(String key, String value) {
    if (key.startsWith("service.")) {
      service(key, value);
    } else if (key.startsWith("template.")) {
      template(key.substring("template.".length()), value);
    } else if (key.startsWith("trigger.")) {
      trigger(key.substring("trigger.".length()), value);
    } else if (key.equals("context")) {
      try {
        fields(yaml(value), "context", Set.of()).forEachRemaining(f -> context.put(f.getKey(), f.getValue().asText()));
      } catch (IllegalArgumentException e) {
        problems.add("context: " + e.getMessage());
      }
    } else {
      problems.add("unknown key \"" + key + "\" (Sluice reads service.*, template.*, trigger.* and context)");
    }
  }

  private void service(String key, String value) {
    String[] parts = key.split("\\.", 3);
    String type = parts[1];
    String name = parts.length == 3 ? parts[2] : type;
    try {
      if (parts.length < 3 && !type.equals("slack")) {
        throw new IllegalArgumentException(type.equals("webhook") ? "a webhook needs a name: service.webhook.<name>"
            : "service type \"" + type + "\" is not supported (Sluice has webhook and slack)");
      }
      if (services.containsKey(name) || serviceProblems.containsKey(name)) {
        throw new IllegalArgumentException("another service is also called \"" + name + "\"");
      }
      JsonNode node = yaml(value);
      NotificationService service = switch (type) {
        case "webhook" -> webhook(name, node);
        case "slack" -> slack(name, node);
        default -> throw new IllegalArgumentException("service type \"" + type + "\" is not supported (Sluice has webhook and slack)");
      };
      services.put(name, service);
    } catch (IllegalArgumentException e) {
      serviceProblems.put(name, key + ": " + e.getMessage());
    }
  }

  private NotificationService webhook(String name, JsonNode node) {
    fields(node, "service", Set.of("url", "headers"));
    URI url = uri(required(node, "url"), "url");
    List<Header> headers = new ArrayList<>();
    JsonNode list = node.path("headers");
    if (!list.isMissingNode() && !list.isArray()) {
      throw new IllegalArgumentException("headers must be a list of {name, value}");
    }
    for (JsonNode h : list) {
      fields(h, "header", Set.of("name", "value"));
      headers.add(new Header(required(h, "name"), secrets.resolve(required(h, "value"))));
    }
    return new NotificationService.Webhook(name, url, List.copyOf(headers));
  }

  private NotificationService slack(String name, JsonNode node) {
    fields(node, "service", Set.of("token", "webhookURL", "apiURL", "username", "icon"));
    Optional<String> token = optional(node, "token").map(secrets::resolve);
    Optional<URI> webhookUrl = optional(node, "webhookURL").map(u -> uri(u, "webhookURL"));
    if (token.isPresent() == webhookUrl.isPresent()) {
      throw new IllegalArgumentException("give either token (a bot token, for chat.postMessage) or webhookURL (an incoming webhook)");
    }
    if (webhookUrl.isPresent() && node.has("apiURL")) {
      throw new IllegalArgumentException("apiURL is for token; an incoming webhook posts to webhookURL");
    }
    URI api = optional(node, "apiURL").map(u -> uri(u, "apiURL")).orElse(SLACK_API);
    return new NotificationService.Slack(name, webhookUrl, token, api, optional(node, "username"), optional(node, "icon"));
  }

  private URI uri(String text, String field) {
    String resolved = secrets.resolve(text);
    try {
      URI uri = new URI(resolved);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException(field + " must be an http or https URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      // the text may hold a secret: say where, not what
      throw new IllegalArgumentException(field + " is not a valid URL");
    }
  }

  private void template(String name, String value) {
    try {
      JsonNode node = yaml(value);
      fields(node, "template", Set.of("message", "slack", "webhook"));
      String label = "template \"" + name + "\" ";
      Optional<TemplateText> message = optional(node, "message").map(s -> checked(new TemplateText(label + "(message)", s)));
      JsonNode slack = node.path("slack");
      if (!slack.isMissingNode()) {
        fields(slack, "slack", Set.of("attachments", "blocks"));
      }
      Optional<TemplateText> attachments = optional(slack, "attachments").map(s -> checked(new TemplateText(label + "(slack.attachments)", s)));
      Optional<TemplateText> blocks = optional(slack, "blocks").map(s -> checked(new TemplateText(label + "(slack.blocks)", s)));
      Map<String, WebhookRequest> webhooks = new LinkedHashMap<>();
      fields(node.path("webhook"), "webhook", Set.of()).forEachRemaining(w -> {
        JsonNode r = w.getValue();
        String at = "webhook." + w.getKey();
        fields(r, at, Set.of("method", "path", "body"));
        String method = optional(r, "method").orElse("POST").toUpperCase(Locale.ROOT);
        if (!Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
          throw new IllegalArgumentException(at + ".method must be GET, POST, PUT, PATCH or DELETE");
        }
        webhooks.put(w.getKey(), new WebhookRequest(method,
            optional(r, "path").map(s -> checked(new TemplateText(label + "(" + at + ".path)", s))),
            optional(r, "body").map(s -> checked(new TemplateText(label + "(" + at + ".body)", s)))));
      });
      templates.put(name, new MessageTemplate(name, message, attachments, blocks, Map.copyOf(webhooks)));
    } catch (IllegalArgumentException e) {
      templateProblems.put(name, e.getMessage().startsWith("template \"") ? e.getMessage() : "template \"" + name + "\": " + e.getMessage());
    }
  }

  private static TemplateText checked(TemplateText text) {
    text.problem().ifPresent(p -> {
      throw new IllegalArgumentException(p);
    });
    return text;
  }

  private void trigger(String id, String value) {
    Optional<Trigger> trigger = Trigger.byId(id);
    if (trigger.isEmpty()) {
      problems.add("trigger." + id + ": unknown trigger (known: " + Trigger.known() + ")");
      return;
    }
    try {
      JsonNode node = yaml(value);
      if (!node.isArray() || node.isEmpty()) {
        throw new IllegalArgumentException("must be a list of {send: [template, ...]}");
      }
      List<String> send = new ArrayList<>();
      for (JsonNode condition : node) {
        // Sluice's triggers fire on transitions; Argo's when/oncePer conditions are refused, not ignored
        fields(condition, "trigger", Set.of("send"));
        JsonNode names = condition.path("send");
        if (!names.isArray() || names.isEmpty()) {
          throw new IllegalArgumentException("send must be a list of template names");
        }
        names.forEach(n -> send.add(n.asText()));
      }
      triggers.put(trigger.get(), List.copyOf(send));
    } catch (IllegalArgumentException e) {
      triggerProblems.put(id, "trigger." + id + ": " + e.getMessage());
    }
  }

  private static JsonNode yaml(String value) {
    try {
      JsonNode node = YAML.readTree(value == null ? "" : value);
      if (node == null || node.isMissingNode() || node.isNull()) {
        throw new IllegalArgumentException("is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("is not valid YAML: " + e.getOriginalMessage());
    }
  }

  /** The fields of an object, refusing any not in {@code allowed} (an empty set allows any name). */
  private static Iterator<Map.Entry<String, JsonNode>> fields(JsonNode node, String what, Set<String> allowed) {
    if (node.isMissingNode()) {
      return Collections.emptyIterator();
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(what + " must be a map");
    }
    if (!allowed.isEmpty()) {
      node.fieldNames().forEachRemaining(f -> {
        if (!allowed.contains(f)) {
          String hint = Set.of("when", "oncePer").contains(f)
              ? " (Sluice's triggers fire once per transition and take no conditions)" : "";
          throw new IllegalArgumentException(what + " has an unknown field \"" + f + "\"" + hint + "; known: "
              + String.join(", ", new TreeSet<>(allowed)));
        }
      });
    }
    return node.fields();
  }

  private static String required(JsonNode node, String field) {
    return optional(node, field).orElseThrow(() -> new IllegalArgumentException(field + " is required"));
  }

  private static Optional<String> optional(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isValueNode()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return Optional.of(v.asText());
  }

  /** The templates a trigger sends, or why it cannot. */
  public Lookup<List<String>> trigger(Trigger trigger) {
    if (triggerProblems.containsKey(trigger.id())) {
      return Lookup.problem(triggerProblems.get(trigger.id()));
    }
    return Optional.ofNullable(triggers.get(trigger)).map(Lookup::of)
        .orElseGet(() -> Lookup.problem("trigger." + trigger.id() + " is not in the ConfigMap " + CONFIG_MAP));
  }

  public Lookup<NotificationService> service(String name) {
    if (serviceProblems.containsKey(name)) {
      return Lookup.problem(serviceProblems.get(name));
    }
    return Optional.ofNullable(services.get(name)).map(Lookup::of)
        .orElseGet(() -> Lookup.problem("no service \"" + name + "\" in the ConfigMap " + CONFIG_MAP
            + " (service.webhook." + name + " or service.slack)"));
  }

  Lookup<MessageTemplate> template(String name) {
    if (templateProblems.containsKey(name)) {
      return Lookup.problem(templateProblems.get(name));
    }
    return Optional.ofNullable(templates.get(name)).map(Lookup::of)
        .orElseGet(() -> Lookup.problem("no template \"" + name + "\" in the ConfigMap " + CONFIG_MAP));
  }

  public Map<String, String> context() {
    return Map.copyOf(context);
  }

  /** Problems of the ConfigMap as a whole (unknown keys and triggers, a bad context). */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  public SecretValues secrets() {
    return secrets;
  }

  /** A value found in the config, or why there is none. */
  public record Lookup<T>(Optional<T> value, String problem) {
    static <T> Lookup<T> of(T value) {
      return new Lookup<>(Optional.of(value), null);
    }

    static <T> Lookup<T> problem(String problem) {
      return new Lookup<>(Optional.empty(), problem);
    }
  }
}
