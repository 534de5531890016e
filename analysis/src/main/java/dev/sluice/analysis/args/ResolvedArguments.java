package dev.sluice.analysis.args;

import dev.sluice.analysis.AnalysisSpecException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Argument values by name, and which of them came from Secrets (so they can be redacted). */
public final class ResolvedArguments {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*args\\.([^}\\s]+)\\s*}}");

  private final Map<String, String> values;
  private final Set<String> secretNames;
  private final Redactor redactor;

  public ResolvedArguments(Map<String, String> values, Set<String> secretNames) {
    this.values = Map.copyOf(values);
    this.secretNames = Set.copyOf(secretNames);
    this.redactor = Redactor.of(secretNames.stream().map(values::get).toList());
  }

  public static ResolvedArguments none() {
    return new ResolvedArguments(Map.of(), Set.of());
  }

  public Map<String, String> values() {
    return values;
  }

  public boolean isSecret(String name) {
    return secretNames.contains(name);
  }

  /** Masks the values of secret arguments. */
  public Redactor redactor() {
    return redactor;
  }

  /**
   * Replaces every {@code {{args.name}}} (spaces inside the braces allowed).
   *
   * @param where names the field for the error message, e.g. {@code metric "error-rate"}
   * @throws AnalysisSpecException when a placeholder names an argument the run does not have
   */
  public String substitute(String text, String where) {
    if (text == null || !text.contains("{{")) {
      return text;
    }
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = values.get(name);
      if (value == null) {
        throw new AnalysisSpecException(where + " uses {{args." + name + "}}, but the run has no argument \"" + name + "\"");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
