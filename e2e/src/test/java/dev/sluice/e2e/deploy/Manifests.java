package dev.sluice.e2e.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/** The objects of a multi-document YAML stream, e.g. what {@code kubectl kustomize} prints. */
record Manifests(List<JsonNode> objects) {
  private static final YAMLMapper YAML = new YAMLMapper();

  static Manifests parse(String yaml) {
    List<JsonNode> objects = new ArrayList<>();
    try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) objects.add(doc);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("not YAML:\n" + yaml, e);
    }
    return new Manifests(List.copyOf(objects));
  }

  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  JsonNode get(String kind, String name) {
    return ofKind(kind).stream().filter(o -> name.equals(name(o))).findFirst()
        .orElseThrow(() -> new NoSuchElementException("no " + kind + " " + name + " among " + objects.size() + " objects"));
  }

  static String name(JsonNode object) {
    return object.path("metadata").path("name").asText();
  }

  static String namespace(JsonNode object) {
    return object.path("metadata").path("namespace").asText(null);
  }
}
