package dev.sluice.analysis.condition;

/**
 * Lets conditions written for Argo Rollouts (expr-lang) run on CEL: the word operators
 * {@code and}, {@code or} and {@code not} become {@code &&}, {@code ||} and {@code !}. Words inside
 * string literals and field names after a dot ({@code result.and}) are left alone.
 */
final class ArgoOperators {
  private ArgoOperators() {}

  static String toCel(String expression) {
    StringBuilder out = new StringBuilder(expression.length());
    int i = 0;
    while (i < expression.length()) {
      char c = expression.charAt(i);
      if (c == '"' || c == '\'') {
        int end = endOfString(expression, i);
        out.append(expression, i, end);
        i = end;
      } else if (Character.isLetter(c) || c == '_') {
        int end = i;
        while (end < expression.length() && (Character.isLetterOrDigit(expression.charAt(end)) || expression.charAt(end) == '_')) {
          end++;
        }
        String word = expression.substring(i, end);
        out.append(afterDot(out) ? word : replacement(word));
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static String replacement(String word) {
    return switch (word) {
      case "and" -> "&&";
      case "or" -> "||";
      case "not" -> "!";
      default -> word;
    };
  }

  private static boolean afterDot(StringBuilder out) {
    for (int j = out.length() - 1; j >= 0; j--) {
      char c = out.charAt(j);
      if (!Character.isWhitespace(c)) {
        return c == '.';
      }
    }
    return false;
  }

  /** Index just past the string literal starting at {@code start} (or the end of the text if unterminated). */
  private static int endOfString(String s, int start) {
    char quote = s.charAt(start);
    int i = start + 1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == quote) {
        return i + 1;
      } else {
        i++;
      }
    }
    return s.length();
  }
}
