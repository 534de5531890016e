package dev.sluice.cli.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.api.v1alpha1.AnalysisTemplate;
import dev.sluice.api.v1alpha1.ClusterAnalysisTemplate;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.validation.ArgoCompatibility;
import dev.sluice.cli.lint.ManifestLint;
import dev.sluice.cli.lint.ModelBinder;
import dev.sluice.cli.lint.Problem;
import dev.sluice.cli.yaml.FieldPath;
import dev.sluice.cli.yaml.YamlDocument;
import dev.sluice.cli.yaml.YamlDocuments;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Argo Rollouts manifests (argoproj.io/v1alpha1 Rollout, AnalysisTemplate,
 * ClusterAnalysisTemplate) into Sluice ones. Everything Sluice has an equivalent for is carried
 * over; anything it has not (another traffic router, another metric provider, an experiment step,
 * ...) is refused with its path rather than silently dropped, since a dropped field would change
 * what the rollout does. Documents of other APIs pass through unchanged.
 */
public final class ArgoConverter {
  private static final String ARGO = "argoproj.io/v1alpha1";
  private static final String SLUICE = Rollout.GROUP + "/" + Rollout.VERSION;
  private static final String ARGO_HASH_LABEL = "rollouts-pod-template-hash";
  private static final String SLUICE_HASH_LABEL = "sluice.dev/pod-template-hash";
  private static final String ARGO_PREFIX = "argo-rollouts.argoproj.io/";
  private static final String ARGO_NOTIFICATIONS_PREFIX = "notifications.argoproj.io/subscribe.";
  private static final String SLUICE_NOTIFICATIONS_PREFIX = "notifications.sluice.dev/subscribe.";
  // written by the Argo controller on the objects it manages (revision counters), meaningless to Sluice
  private static final String ARGO_CONTROLLER_PREFIX = "rollout.argoproj.io/";
  private static final String GATEWAY_PLUGIN = "argoproj-labs/gatewayAPI";
  private static final List<String> SERVER_FIELDS =
      List.of("uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink");
  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  private static final Map<String, Class<?>> KINDS = Map.of(
      "Rollout", Rollout.class, "AnalysisTemplate", AnalysisTemplate.class, "ClusterAnalysisTemplate", ClusterAnalysisTemplate.class);

  private ArgoConverter() {}

  /** The converted file, and what the user should know about it. */
  public record Conversion(String yaml, List<String> notes) {}

  /** Thrown when some part of the input has no Sluice equivalent; each reason names its path. */
  public static final class ConversionRefused extends RuntimeException {
    private final List<String> reasons;

    public ConversionRefused(List<String> reasons) {
      super(String.join("; ", reasons));
      this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
      return reasons;
    }
  }

  public static Conversion convert(String yaml) {
    List<YamlDocument> documents;
    try {
      documents = YamlDocuments.parse(yaml);
    } catch (YamlDocuments.YamlSyntaxException e) {
      throw new ConversionRefused(List.of(e.getMessage()));
    }
    List<JsonNode> converted = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<String> refusals = new ArrayList<>();
    int argoDocuments = 0;
    for (YamlDocument document : documents) {
      String apiVersion = document.apiVersion();
      if (apiVersion == null || !apiVersion.startsWith("argoproj.io/")) {
        converted.add(document.content());
        continue;
      }
      argoDocuments++;
      List<String> problems = new ArrayList<>();
      JsonNode result = convert(document, notes, problems);
      problems.forEach(p -> refusals.add(document.label() + ": " + p));
      converted.add(result);
    }
    if (!refusals.isEmpty()) {
      throw new ConversionRefused(refusals);
    }
    if (argoDocuments == 0) {
      notes.add("no Argo Rollouts manifests (apiVersion " + ARGO + ") in the input; it is printed unchanged");
    }
    if (yaml.lines().anyMatch(l -> l.strip().startsWith("#"))) {
      notes.add("comments in the input are not carried over");
    }
    String output = YamlDocuments.write(converted);
    // what converts may still be something the Sluice controller rejects (say, a missing activeService): tell now
    for (ManifestLint.Finding finding : ManifestLint.lint(output).findings()) {
      notes.add(finding.document() + ": lint: " + finding.problem());
    }
    return new Conversion(output, List.copyOf(notes));
  }

  private static JsonNode convert(YamlDocument document, List<String> notes, List<String> problems) {
    String kind = document.kind();
    if (!ARGO.equals(document.apiVersion())) {
      problems.add("apiVersion: only " + ARGO + " can be converted, got " + document.apiVersion());
      return document.content();
    }
    if ("AnalysisRun".equals(kind)) {
      problems.add("kind: AnalysisRuns are created by the controller; convert the AnalysisTemplate they come from");
      return document.content();
    }
    if (!KINDS.containsKey(kind)) {
      problems.add("kind: Sluice has no equivalent of " + kind + " yet (it converts Rollout, AnalysisTemplate, ClusterAnalysisTemplate)");
      return document.content();
    }
    ObjectNode content = (ObjectNode) document.content().deepCopy();
    content.put("apiVersion", SLUICE);
    if (content.remove("status") != null) {
      notes.add(document.label() + ": status left out (the Sluice controller writes its own)");
    }
    cleanMetadata(document.label(), content, notes);
    JsonNode renamed = renameLabels(content);
    if ("Rollout".equals(kind)) {
      gatewayApiPlugin(FieldPath.root(), renamed, notes, problems, document.label());
    }
    mentionsOfArgoHashLabel(FieldPath.root(), renamed, document.label(), notes);
    ModelBinder.Binding<?> binding = ModelBinder.bind(renamed, KINDS.get(kind));
    for (Problem problem : binding.problems()) {
      problems.add(problem.path() + ": " + explain(problem));
    }
    // a field Sluice has but does not act on yet would change what the rollout does: refused too
    if (binding.value() instanceof Rollout rollout) {
      ArgoCompatibility.notYet(rollout.getSpec()).forEach(p -> problems.add(p.toString()));
      ArgoCompatibility.refusedShapes(rollout.getSpec()).forEach(p -> problems.add(p.toString()));
    }
    return renamed;
  }

  private static void cleanMetadata(String label, ObjectNode content, List<String> notes) {
    JsonNode metadata = content.get("metadata");
    if (!(metadata instanceof ObjectNode meta)) return;
    List<String> removed = new ArrayList<>();
    for (String field : SERVER_FIELDS) {
      if (meta.remove(field) != null) removed.add(field);
    }
    if (meta.get("annotations") instanceof ObjectNode annotations) {
      List<String> serverSet = new ArrayList<>();
      annotations.fieldNames().forEachRemaining(name -> {
        if (name.equals(LAST_APPLIED) || name.startsWith(ARGO_CONTROLLER_PREFIX)) serverSet.add(name);
      });
      for (String name : serverSet) {
        annotations.remove(name);
        removed.add("annotations[\"" + name + "\"]");
      }
      if (annotations.isEmpty()) meta.remove("annotations");
    }
    if (!removed.isEmpty()) {
      notes.add(label + ": server-set metadata left out: " + String.join(", ", removed));
    }
  }

  /** Renames Argo label/annotation keys (and selector keys given as values) to their sluice.dev forms, everywhere. */
  static JsonNode renameLabels(JsonNode node) {
    if (node instanceof ObjectNode object) {
      ObjectNode renamed = object.objectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        renamed.set(renameKey(field.getKey()), renameLabels(field.getValue()));
      }
      return renamed;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode renamed = array.arrayNode();
      array.forEach(element -> renamed.add(renameLabels(element)));
      return renamed;
    }
    if (node.isTextual() && ARGO_HASH_LABEL.equals(node.asText())) {
      return TextNode.valueOf(SLUICE_HASH_LABEL);
    }
    return node;
  }

  static String renameKey(String key) {
    if (ARGO_HASH_LABEL.equals(key)) return SLUICE_HASH_LABEL;
    // notification subscriptions keep their trigger and service (docs/notifications.md)
    if (key.startsWith(ARGO_NOTIFICATIONS_PREFIX)) return SLUICE_NOTIFICATIONS_PREFIX + key.substring(ARGO_NOTIFICATIONS_PREFIX.length());
    return key.startsWith(ARGO_PREFIX) ? "sluice.dev/" + key.substring(ARGO_PREFIX.length()) : key;
  }

  // Argo needs the argoproj-labs/gatewayAPI plugin for Gateway API routes; Sluice builds it in.
  private static void gatewayApiPlugin(FieldPath root, JsonNode rollout, List<String> notes, List<String> problems, String label) {
    FieldPath routingPath = root.field("spec").field("strategy").field("canary").field("trafficRouting");
    JsonNode routing = rollout.path("spec").path("strategy").path("canary").path("trafficRouting");
    if (!(routing instanceof ObjectNode routingObject) || !routing.has("plugins")) return;
    JsonNode plugins = routing.get("plugins");
    FieldPath pluginsPath = routingPath.field("plugins");
    if (!(plugins instanceof ObjectNode pluginMap)) {
      problems.add(pluginsPath + ": must be a map of plugin name to its configuration");
      return;
    }
    JsonNode gateway = null;
    Iterator<Map.Entry<String, JsonNode>> entries = pluginMap.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> plugin = entries.next();
      if (GATEWAY_PLUGIN.equals(plugin.getKey())) {
        gateway = plugin.getValue();
      } else {
        problems.add(pluginsPath.field(plugin.getKey())
            + ": Sluice has no traffic router plugins; it builds in gatewayAPI, nginx, istio and smi");
      }
    }
    if (gateway == null) {
      routingObject.remove("plugins");
      return;
    }
    if (gateway instanceof ObjectNode gatewayConfig && gatewayConfig.remove("configMap") != null) {
      notes.add(label + ": " + pluginsPath.field(GATEWAY_PLUGIN).field("configMap")
          + " left out: the built-in Gateway API router keeps no state in a ConfigMap");
    }
    Map<String, JsonNode> reordered = new LinkedHashMap<>();
    routingObject.fields().forEachRemaining(f -> reordered.put(f.getKey(), f.getValue()));
    routingObject.removeAll();
    JsonNode gatewayConfig = gateway;
    reordered.forEach((key, value) -> routingObject.set("plugins".equals(key) ? "gatewayAPI" : key,
        "plugins".equals(key) ? gatewayConfig : value));
  }

  private static void mentionsOfArgoHashLabel(FieldPath path, JsonNode node, String label, List<String> notes) {
    if (node.isObject()) {
      node.fields().forEachRemaining(f -> mentionsOfArgoHashLabel(path.field(f.getKey()), f.getValue(), label, notes));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) mentionsOfArgoHashLabel(path.index(i), node.get(i), label, notes);
    } else if (node.isTextual() && (node.asText().contains("rollouts_pod_template_hash") || node.asText().contains(ARGO_HASH_LABEL))) {
      notes.add(label + ": " + path + " mentions Argo's pod-template-hash label; Sluice pods carry "
          + SLUICE_HASH_LABEL + " instead, so update the query to the label name your metrics get from it");
    }
  }

  private static String explain(Problem problem) {
    FieldPath path = problem.path();
    String field = path.lastField();
    if (!problem.message().startsWith("unknown field") || field == null) {
      return problem.message();
    }
    FieldPath parent = path.parent();
    if ("trafficRouting".equals(parent.lastField())) {
      return "Sluice has no " + field + " traffic router (it has nginx, istio, smi, gatewayAPI)";
    }
    if ("provider".equals(parent.lastField())) {
      return "Sluice has no " + field + " metric provider (it has prometheus, web, job, judge)";
    }
    if (parent.lastField() == null && "steps".equals(parent.parent().lastField())) {
      return "Sluice has no " + field + " step (it has setWeight, pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute)";
    }
    String absent = path.toString().replaceAll("\\[\\d+]", "[]");
    return ArgoCompatibility.ABSENT.stream().filter(a -> absent.endsWith(a.path()))
        .findFirst().map(a -> "Sluice has " + a.what() + "; remove it to convert")
        .orElse("has no Sluice equivalent; remove it to convert");
  }
}
