package dev.sluice.controller.notifications;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import java.util.Map;
import java.util.Optional;

/**
 * One templated text of the ConfigMap, in Mustache ({@code {{rollout.metadata.name}}}; JMustache):
 * a name that is not there is an error, not an empty string, so a typo is reported instead of
 * sending a message with a hole in it; a section over a missing name ({@code {{#x}}...{{/x}}}) is
 * simply skipped, which is how a template uses a field that may be absent.
 *
 * @param label where it comes from, for error messages: {@code template "rollout-aborted" (message)}
 */
record TemplateText(String label, String source) {
  /** Larger rendered texts are refused (a runaway template, not a message). */
  static final int MAX_RENDERED = 64 * 1024;

  enum Escaping {
    /** Values go in as they are. */
    NONE,
    /** Values are escaped to sit inside a JSON string ({@code {{{x}}}} still goes in as it is). */
    JSON
  }

  private static final Mustache.Compiler PLAIN = Mustache.compiler().escapeHTML(false);
  private static final Mustache.Compiler JSON_STRING = Mustache.compiler()
      .withEscaper(raw -> new String(JsonStringEncoder.getInstance().quoteAsString(raw)));

  /** @return the syntax problem, if any */
  Optional<String> problem() {
    try {
      PLAIN.compile(source);
      return Optional.empty();
    } catch (MustacheException e) {
      return Optional.of(label + ": " + e.getMessage());
    }
  }

  /** @throws TemplateException saying which template and what went wrong */
  String render(Map<String, Object> vars, Escaping escaping) {
    String out;
    try {
      out = (escaping == Escaping.JSON ? JSON_STRING : PLAIN).compile(source).execute(vars);
    } catch (MustacheException e) {
      throw new TemplateException(label + ": " + e.getMessage());
    }
    if (out.length() > MAX_RENDERED) {
      throw new TemplateException(label + ": rendered to " + out.length() + " characters, more than " + MAX_RENDERED);
    }
    return out;
  }

  /** A template that cannot be rendered: nothing is sent for it. */
  static final class TemplateException extends RuntimeException {
    TemplateException(String message) {
      super(message, null, false, false);
    }
  }
}
