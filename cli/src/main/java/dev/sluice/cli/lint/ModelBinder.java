package dev.sluice.cli.lint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.yaml.FieldPath;
import dev.sluice.cli.yaml.YamlDocuments;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Binds a manifest tree to the Sluice model and reports every field the model does not know and
 * every value of the wrong type, with its path, instead of stopping at the first one.
 */
public final class ModelBinder {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  // each round removes at least one bad value, so this only bounds pathological input
  private static final int MAX_ROUNDS = 100;

  private ModelBinder() {}

  public record Binding<T>(T value, List<Problem> problems) {}

  public static <T> Binding<T> bind(JsonNode document, Class<T> type) {
    JsonNode tree = document.deepCopy();
    List<Problem> problems = new ArrayList<>();
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Collector collector = new Collector();
      try {
        T value = MAPPER.readerFor(type).withHandler(collector).readValue(MAPPER.treeAsTokens(tree));
        problems.addAll(collector.problems);
        return new Binding<>(value, List.copyOf(problems));
      } catch (JsonMappingException e) {
        // a value Jackson cannot recover from: report it, drop it from the tree, and bind again
        FieldPath path = pathOf(e.getPath());
        problems.add(Problem.at(path, wrongValue(e)));
        if (!remove(tree, e.getPath())) {
          return new Binding<>(null, List.copyOf(problems));
        }
      } catch (IOException e) {
        problems.add(Problem.at(FieldPath.root(), e.getMessage()));
        return new Binding<>(null, List.copyOf(problems));
      }
    }
    return new Binding<>(null, List.copyOf(problems));
  }

  private static String wrongValue(JsonMappingException e) {
    String message = e.getOriginalMessage();
    if (message.contains("Either integer or string value")) {
      return "must be an integer or a string";
    }
    return "invalid value: " + message.lines().findFirst().orElse("").strip();
  }

  private static FieldPath pathOf(List<JsonMappingException.Reference> references) {
    FieldPath path = FieldPath.root();
    for (JsonMappingException.Reference ref : references) {
      path = ref.getFieldName() != null ? path.field(ref.getFieldName()) : path.index(ref.getIndex());
    }
    return path;
  }

  private static boolean remove(JsonNode tree, List<JsonMappingException.Reference> references) {
    if (references.isEmpty()) {
      return false;
    }
    JsonNode parent = tree;
    for (JsonMappingException.Reference ref : references.subList(0, references.size() - 1)) {
      parent = ref.getFieldName() != null ? parent.get(ref.getFieldName()) : parent.get(ref.getIndex());
      if (parent == null) return false;
    }
    JsonMappingException.Reference last = references.get(references.size() - 1);
    if (parent instanceof ObjectNode object && last.getFieldName() != null && object.has(last.getFieldName())) {
      object.remove(last.getFieldName());
      return true;
    }
    if (parent instanceof ArrayNode array && last.getFieldName() == null && last.getIndex() < array.size()) {
      array.set(last.getIndex(), MAPPER.nullNode());
      return true;
    }
    return false;
  }

  private static final class Collector extends DeserializationProblemHandler {
    final List<Problem> problems = new ArrayList<>();

    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
        Object beanOrClass, String propertyName) throws IOException {
      String suggestion = deserializer == null ? null : closest(propertyName, deserializer.getKnownPropertyNames());
      problems.add(Problem.at(unknownFieldPath(p.getParsingContext(), propertyName),
          "unknown field" + (suggestion == null ? "" : " (did you mean " + suggestion + "?)")));
      p.skipChildren();
      return true;
    }

    @Override
    public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String value, String failureMsg) {
      problems.add(Problem.at(YamlDocuments.pathOf(ctxt.getParser().getParsingContext()),
          "must be " + describe(targetType) + ", got \"" + value + "\""));
      return null;
    }

    @Override
    public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number value, String failureMsg) {
      problems.add(Problem.at(YamlDocuments.pathOf(ctxt.getParser().getParsingContext()),
          "must be " + describe(targetType) + ", got " + value));
      return null;
    }

    @Override
    public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken token, JsonParser p,
        String failureMsg) throws IOException {
      problems.add(Problem.at(YamlDocuments.pathOf(p.getParsingContext()),
          "must be " + describe(targetType.getRawClass()) + ", got " + describe(token)));
      p.skipChildren();
      return null;
    }
  }

  // At a list value the tree parser already stands in the list's context (two levels down), so the
  // path is the field's parent object's path and the field's name.
  static FieldPath unknownFieldPath(JsonStreamContext context, String propertyName) {
    for (JsonStreamContext c = context; c != null; c = c.getParent()) {
      if (propertyName.equals(c.getCurrentName())) {
        return YamlDocuments.pathOf(c.getParent()).field(propertyName);
      }
    }
    return YamlDocuments.pathOf(context);
  }

  /** The known name a typo most likely meant: same letters ignoring case, or at most two edits away. */
  static String closest(String name, Collection<Object> known) {
    if (known == null) return null;
    String best = null;
    int bestDistance = 3;
    for (Object candidate : known) {
      String k = String.valueOf(candidate);
      int distance = k.equalsIgnoreCase(name) ? 0 : editDistance(name, k);
      if (distance < bestDistance) {
        best = k;
        bestDistance = distance;
      }
    }
    return best;
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) previous[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  static String describe(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) return "an integer";
    if (type == Boolean.class || type == boolean.class) return "true or false";
    if (type == String.class) return "a string";
    if (List.class.isAssignableFrom(type)) return "a list";
    if (Map.class.isAssignableFrom(type)) return "a map";
    if (type == Double.class || type == Float.class) return "a number";
    return "a map (" + type.getSimpleName() + ")";
  }

  private static String describe(JsonToken token) {
    if (token == null) return "nothing";
    switch (token) {
      case START_ARRAY: return "a list";
      case START_OBJECT: return "a map";
      case VALUE_STRING: return "a string";
      case VALUE_NUMBER_INT: return "an integer";
      case VALUE_NUMBER_FLOAT: return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE: return "a boolean";
      case VALUE_NULL: return "null";
      default: return token.asString() == null ? token.name() : token.asString();
    }
  }
}
