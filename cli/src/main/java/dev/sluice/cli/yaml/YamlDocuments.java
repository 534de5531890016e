package dev.sluice.cli.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads multi-document YAML into trees that remember their line numbers, and writes trees back as YAML. */
public final class YamlDocuments {
  private static final YAMLMapper MAPPER = YAMLMapper.builder()
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .disable(YAMLGenerator.Feature.SPLIT_LINES)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .build();

  private YamlDocuments() {}

  /** Thrown for text that is not YAML; the message names the line. */
  public static final class YamlSyntaxException extends RuntimeException {
    private final int line;

    YamlSyntaxException(int line, String message) {
      super(message);
      this.line = line;
    }

    public int line() {
      return line;
    }
  }

  /** The documents of {@code text}; empty documents (only {@code ---} or comments) are left out. */
  public static List<YamlDocument> parse(String text) {
    List<JsonNode> contents = contents(text);
    List<Map<FieldPath, Integer>> lines = lines(text);
    List<YamlDocument> documents = new ArrayList<>();
    for (int i = 0; i < contents.size(); i++) {
      JsonNode content = contents.get(i);
      if (content != null && !content.isNull() && !content.isMissingNode()) {
        documents.add(new YamlDocument(documents.size(), content, i < lines.size() ? lines.get(i) : Map.of()));
      }
    }
    return documents;
  }

  /** Writes each tree as one YAML document, each starting with {@code ---}. */
  public static String write(List<JsonNode> documents) {
    StringBuilder out = new StringBuilder();
    for (JsonNode document : documents) {
      try {
        out.append(MAPPER.writeValueAsString(document));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out.toString();
  }

  public static YAMLMapper mapper() {
    return MAPPER;
  }

  private static List<JsonNode> contents(String text) {
    List<JsonNode> contents = new ArrayList<>();
    try (MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNextValue()) {
        JsonNode node = it.nextValue();
        contents.add(node == null ? NullNode.getInstance() : node);
      }
      return contents;
    } catch (JsonProcessingException e) {
      throw syntaxError(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // A second pass over the same token stream: every root-level value starts the next document,
  // in the same order as contents() sees them.
  private static List<Map<FieldPath, Integer>> lines(String text) {
    List<Map<FieldPath, Integer>> documents = new ArrayList<>();
    YAMLFactory factory = MAPPER.getFactory();
    try (JsonParser p = factory.createParser(text)) {
      Map<FieldPath, Integer> current = null;
      for (JsonToken token = p.nextToken(); token != null; token = p.nextToken()) {
        JsonStreamContext slot = p.getParsingContext();
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          slot = slot.getParent();
        }
        if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          continue;
        }
        if (slot.inRoot()) {
          current = new HashMap<>();
          documents.add(current);
          current.put(FieldPath.root(), lineOf(p.currentTokenLocation()));
          continue;
        }
        if (token == JsonToken.FIELD_NAME || slot.inArray()) {
          current.putIfAbsent(pathOf(slot), lineOf(p.currentTokenLocation()));
        }
      }
      return documents;
    } catch (JsonProcessingException e) {
      throw syntaxError(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The path of the value the context is positioned at (its current field name or index). */
  public static FieldPath pathOf(JsonStreamContext context) {
    Deque<JsonStreamContext> chain = new ArrayDeque<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      chain.push(c);
    }
    FieldPath path = FieldPath.root();
    for (JsonStreamContext c : chain) {
      if (c.inArray()) {
        path = path.index(Math.max(c.getCurrentIndex(), 0));
      } else if (c.getCurrentName() != null) {
        path = path.field(c.getCurrentName());
      }
    }
    return path;
  }

  private static int lineOf(JsonLocation location) {
    return location == null ? 0 : location.getLineNr();
  }

  private static YamlSyntaxException syntaxError(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblem() != null) {
      // snakeyaml says what it expected where, and what it was in the middle of
      int line = yaml.getProblemMark() == null ? lineOf(e.getLocation()) : yaml.getProblemMark().getLine() + 1;
      String context = yaml.getContext() == null ? "" : " (" + yaml.getContext()
          + (yaml.getContextMark() == null ? "" : " that starts at line " + (yaml.getContextMark().getLine() + 1)) + ")";
      return new YamlSyntaxException(line, "not valid YAML at line " + line + ": " + yaml.getProblem() + context);
    }
    int line = lineOf(e.getLocation());
    String message = e.getOriginalMessage().lines().findFirst().orElse("not valid YAML").strip();
    return new YamlSyntaxException(line, "not valid YAML" + (line > 0 ? " at line " + line : "") + ": " + message);
  }
}
