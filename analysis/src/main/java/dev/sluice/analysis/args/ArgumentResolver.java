package dev.sluice.analysis.args;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.JsonPathException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.sluice.analysis.AnalysisSpecException;
import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.AnalysisArgument.ValueFrom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives every argument its value: a literal {@code value}, a Secret key (through the injected
 * {@link SecretLookup}, remembered as secret), a field of the Rollout, or the stable/latest
 * pod-template-hash. No I/O of its own.
 */
public final class ArgumentResolver {
  private static final Configuration JSON_NODES = Configuration.builder()
      .jsonProvider(new JacksonJsonNodeJsonProvider())
      .mappingProvider(new JacksonMappingProvider())
      .build();

  /** @throws AnalysisSpecException naming the argument that has no usable value */
  public ResolvedArguments resolve(List<AnalysisArgument> args, ArgumentContext context, SecretLookup secrets) {
    Map<String, String> values = new LinkedHashMap<>();
    Set<String> secretNames = new HashSet<>();
    for (AnalysisArgument arg : args == null ? List.<AnalysisArgument>of() : args) {
      if (arg.name() == null || arg.name().isBlank()) {
        throw new AnalysisSpecException("an argument has no name");
      }
      if (values.containsKey(arg.name())) {
        throw new AnalysisSpecException("argument \"" + arg.name() + "\" is declared twice");
      }
      if (arg.value() != null && arg.valueFrom() != null) {
        throw new AnalysisSpecException("argument \"" + arg.name() + "\" has both value and valueFrom");
      }
      if (arg.value() != null) {
        values.put(arg.name(), arg.value());
      } else if (arg.valueFrom() != null) {
        ValueFrom from = arg.valueFrom();
        if (from.secretKeyRef() != null) {
          secretNames.add(arg.name());
        }
        values.put(arg.name(), valueFrom(arg.name(), from, context, secrets));
      } else {
        throw new AnalysisSpecException("argument \"" + arg.name() + "\" has no value: the Rollout must supply it");
      }
    }
    return new ResolvedArguments(values, secretNames);
  }

  /**
   * A template's declared arguments with the values a Rollout supplies (by name) put in; supplied
   * arguments the template does not declare are ignored, as in Argo Rollouts. Nothing is resolved yet.
   */
  public static List<AnalysisArgument> merge(List<AnalysisArgument> declared, List<AnalysisArgument> supplied) {
    Map<String, AnalysisArgument> byName = new LinkedHashMap<>();
    for (AnalysisArgument arg : supplied == null ? List.<AnalysisArgument>of() : supplied) {
      byName.put(arg.name(), arg);
    }
    List<AnalysisArgument> merged = new ArrayList<>();
    for (AnalysisArgument arg : declared == null ? List.<AnalysisArgument>of() : declared) {
      AnalysisArgument given = byName.get(arg.name());
      boolean givesSomething = given != null && (given.value() != null || given.valueFrom() != null);
      merged.add(givesSomething ? new AnalysisArgument(arg.name(), given.value(), given.valueFrom()) : arg);
    }
    return merged;
  }

  /**
   * What a Rollout does when it creates a run: fieldRef and podTemplateHashValue arguments become
   * plain values, secretKeyRef arguments stay references (the run resolves them itself, so no secret
   * value is ever written into a spec).
   *
   * @throws AnalysisSpecException naming an argument the Rollout cannot supply
   */
  public static List<AnalysisArgument> resolveFromRollout(List<AnalysisArgument> args, ArgumentContext context) {
    List<AnalysisArgument> out = new ArrayList<>();
    for (AnalysisArgument arg : args == null ? List.<AnalysisArgument>of() : args) {
      ValueFrom from = arg.valueFrom();
      if (arg.value() == null && from != null && from.secretKeyRef() == null) {
        out.add(new AnalysisArgument(arg.name(), valueFrom(arg.name(), from, context, (n, k) -> {
          throw new IllegalStateException("no Secret is read here");
        }), null));
      } else {
        out.add(arg);
      }
    }
    return out;
  }

  private static String valueFrom(String name, ValueFrom from, ArgumentContext context, SecretLookup secrets) {
    int sources = (from.secretKeyRef() != null ? 1 : 0) + (from.fieldRef() != null ? 1 : 0)
        + (from.podTemplateHashValue() != null ? 1 : 0);
    if (sources != 1) {
      throw new AnalysisSpecException("argument \"" + name
          + "\": valueFrom needs exactly one of secretKeyRef, fieldRef, podTemplateHashValue");
    }
    if (from.secretKeyRef() != null) {
      var ref = from.secretKeyRef();
      if (ref.name() == null || ref.name().isBlank() || ref.key() == null || ref.key().isBlank()) {
        throw new AnalysisSpecException("argument \"" + name + "\": secretKeyRef needs a name and a key");
      }
      try {
        return secrets.value(ref.name(), ref.key());
      } catch (SecretLookupException e) {
        throw new AnalysisSpecException("argument \"" + name + "\": " + e.getMessage());
      }
    }
    if (from.fieldRef() != null) {
      return field(name, from.fieldRef().fieldPath(), context.rollout());
    }
    return podTemplateHash(name, from.podTemplateHashValue(), context);
  }

  private static String field(String name, String fieldPath, JsonNode rollout) {
    if (fieldPath == null || fieldPath.isBlank()) {
      throw new AnalysisSpecException("argument \"" + name + "\": fieldRef needs a fieldPath");
    }
    if (rollout == null) {
      throw new AnalysisSpecException("argument \"" + name + "\": fieldRef " + fieldPath
          + " needs the Rollout, and this run has none");
    }
    String path = fieldPath.startsWith("$") ? fieldPath : "$." + fieldPath;
    JsonNode found;
    try {
      found = JsonPath.using(JSON_NODES).parse(rollout).read(path);
    } catch (JsonPathException e) {
      throw new AnalysisSpecException("argument \"" + name + "\": fieldRef " + fieldPath + " not found in the Rollout");
    }
    if (found == null || found.isNull() || found.isMissingNode()) {
      throw new AnalysisSpecException("argument \"" + name + "\": fieldRef " + fieldPath + " is empty in the Rollout");
    }
    return found.isValueNode() ? found.asText() : found.toString();
  }

  private static String podTemplateHash(String name, String which, ArgumentContext context) {
    String hash;
    if ("Stable".equals(which)) {
      hash = context.stablePodTemplateHash();
    } else if ("Latest".equals(which)) {
      hash = context.latestPodTemplateHash();
    } else {
      throw new AnalysisSpecException("argument \"" + name + "\": podTemplateHashValue must be Stable or Latest, not \"" + which + "\"");
    }
    if (hash == null || hash.isBlank()) {
      throw new AnalysisSpecException("argument \"" + name + "\": the " + which.toLowerCase() + " pod-template-hash is not known");
    }
    return hash;
  }
}
