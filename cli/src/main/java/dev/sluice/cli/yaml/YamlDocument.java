package dev.sluice.cli.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.OptionalInt;

/** One document of a YAML file, with the line on which each path in it starts. */
public record YamlDocument(int index, JsonNode content, Map<FieldPath, Integer> lines) {

  public String text(String field) {
    JsonNode value = content == null ? null : content.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  public String apiVersion() {
    return text("apiVersion");
  }

  public String kind() {
    return text("kind");
  }

  public String name() {
    JsonNode metadata = content == null ? null : content.get("metadata");
    JsonNode name = metadata == null ? null : metadata.get("name");
    return name != null && name.isTextual() ? name.asText() : null;
  }

  /** The line of {@code path}, or of the closest enclosing path that appears in the file. */
  public OptionalInt lineOf(FieldPath path) {
    for (FieldPath p = path; ; p = p.parent()) {
      Integer line = lines.get(p);
      if (line != null) return OptionalInt.of(line);
      if (p.isRoot()) return OptionalInt.empty();
    }
  }

  /** "Rollout demo", "AnalysisTemplate" or "document 2" for messages. */
  public String label() {
    String kind = kind();
    String name = name();
    if (kind == null) return "document " + (index + 1);
    return name == null ? kind : kind + " " + name;
  }
}
