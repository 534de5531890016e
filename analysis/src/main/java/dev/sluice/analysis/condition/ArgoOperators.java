package dev.sluice.analysis.condition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lets conditions written for Argo Rollouts (expr-lang) run on CEL: the word operators
 * {@code and}, {@code or} and {@code not} become {@code &&}, {@code ||} and {@code !}, and expr's
 * closure builtins over a list become CEL's macros, {@code #} naming the element:
 * {@code all(result, # < 1000)} is {@code (result).all(item, item < 1000)}; likewise {@code any}
 * ({@code exists}), {@code none} ({@code !exists}), {@code one} ({@code exists_one}), {@code filter},
 * {@code map} and {@code count} ({@code size(filter)}); a predicate in braces ({@code {# < 1}}) too.
 * Words inside string literals and field names after a dot ({@code result.and}) are left alone.
 */
final class ArgoOperators {
  private ArgoOperators() {}

  /** expr builtin → CEL macro ({@code %s} the list, then the variable, then the predicate). */
  private static final Map<String, String> CLOSURES = Map.of(
      "all", "(%s).all(%s, %s)",
      "any", "(%s).exists(%s, %s)",
      "none", "!(%s).exists(%s, %s)",
      "one", "(%s).exists_one(%s, %s)",
      "filter", "(%s).filter(%s, %s)",
      "map", "(%s).map(%s, %s)",
      "count", "size((%s).filter(%s, %s))");

  static String toCel(String expression) {
    return toCel(expression, 0);
  }

  private static String toCel(String expression, int depth) {
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
        int open = skipSpaces(expression, end);
        List<String> args = !afterDot(out) && CLOSURES.containsKey(word) && open < expression.length()
            && expression.charAt(open) == '(' ? arguments(expression, open) : null;
        if (args != null && args.size() == 2) {
          String variable = depth == 0 ? "item" : "item" + depth;
          String predicate = elementNamed(toCel(withoutBraces(args.get(1)), depth + 1), variable);
          out.append(CLOSURES.get(word).formatted(toCel(args.get(0).strip(), depth + 1), variable, predicate));
          i = closingParen(expression, open) + 1;
        } else {
          out.append(afterDot(out) ? word : replacement(word));
          i = end;
        }
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

  /** {@code #} (outside strings) named {@code variable}; a nested closure's own {@code #} was named already. */
  private static String elementNamed(String predicate, String variable) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < predicate.length()) {
      char c = predicate.charAt(i);
      if (c == '"' || c == '\'') {
        int end = endOfString(predicate, i);
        out.append(predicate, i, end);
        i = end;
      } else {
        out.append(c == '#' ? variable : String.valueOf(c));
        i++;
      }
    }
    return out.toString();
  }

  private static String withoutBraces(String predicate) {
    String p = predicate.strip();
    return p.startsWith("{") && p.endsWith("}") ? p.substring(1, p.length() - 1).strip() : p;
  }

  /** The top-level, comma-separated arguments of the call whose '(' is at {@code open}; null when it is not closed. */
  private static List<String> arguments(String s, int open) {
    int close = closingParen(s, open);
    if (close < 0) {
      return null;
    }
    List<String> args = new ArrayList<>();
    int depth = 0;
    int start = open + 1;
    for (int i = open + 1; i < close; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'') {
        i = endOfString(s, i) - 1;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        args.add(s.substring(start, i));
        start = i + 1;
      }
    }
    args.add(s.substring(start, close));
    return args;
  }

  /** Index of the ')' matching the '(' at {@code open}, or -1. */
  private static int closingParen(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'') {
        i = endOfString(s, i) - 1;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private static int skipSpaces(String s, int from) {
    int i = from;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
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
