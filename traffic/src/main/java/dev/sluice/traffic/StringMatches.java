package dev.sluice.traffic;

import dev.sluice.api.v1alpha1.CanaryStep.HeaderMatch;
import dev.sluice.api.v1alpha1.CanaryStep.SetHeaderRoute;
import dev.sluice.api.v1alpha1.CanaryStep.SetMirrorRoute;
import dev.sluice.api.v1alpha1.CanaryStep.StringMatch;
import java.util.ArrayList;
import java.util.List;

/** Checks the matches of header and mirror steps, and turns prefixes into regular expressions. */
final class StringMatches {
  private StringMatches() {}

  enum Type { EXACT, PREFIX, REGEX }

  /** One checked match: its type and value. */
  record Checked(Type type, String value) {
    /** The match as a regular expression (RE2 syntax, as Envoy and NGINX use). */
    String asRegex() {
      if (type == Type.REGEX) {
        return value;
      }
      String literal = quote(value);
      return type == Type.PREFIX ? "^" + literal + ".*" : "^" + literal + "$";
    }
  }

  /** A header or mirror step whose match list is empty or missing removes its route. */
  static boolean removes(SetHeaderRoute route) {
    return route.match() == null || route.match().isEmpty();
  }

  static boolean removes(SetMirrorRoute route) {
    return route.match() == null || route.match().isEmpty();
  }

  static Checked check(StringMatch match, String where) {
    if (match == null) {
      throw TrafficRoutingException.invalidSpec(where + " needs one of exact, prefix, regex");
    }
    List<Checked> set = new ArrayList<>();
    if (match.exact() != null) {
      set.add(new Checked(Type.EXACT, match.exact()));
    }
    if (match.prefix() != null) {
      set.add(new Checked(Type.PREFIX, match.prefix()));
    }
    if (match.regex() != null) {
      set.add(new Checked(Type.REGEX, match.regex()));
    }
    if (set.size() != 1) {
      throw TrafficRoutingException.invalidSpec(where + " must set exactly one of exact, prefix, regex");
    }
    return set.get(0);
  }

  /** The header matches of a step, checked: every header has a name and exactly one value match. */
  static List<HeaderMatch> checkedHeaders(SetHeaderRoute route) {
    for (HeaderMatch h : route.match()) {
      if (h == null || h.headerName() == null || h.headerName().isBlank()) {
        throw TrafficRoutingException.invalidSpec("setHeaderRoute \"" + route.name() + "\": every match needs a headerName");
      }
      check(h.headerValue(), "setHeaderRoute \"" + route.name() + "\" header " + h.headerName());
    }
    return route.match();
  }

  /** Percentage of a mirror step: 100 when unset. */
  static int mirrorPercentage(SetMirrorRoute route) {
    int percentage = route.percentage() == null ? 100 : route.percentage();
    if (percentage < 0 || percentage > 100) {
      throw TrafficRoutingException.invalidSpec(
          "setMirrorRoute \"" + route.name() + "\": percentage must be within 0..100, not " + percentage);
    }
    return percentage;
  }

  private static String quote(String literal) {
    StringBuilder out = new StringBuilder();
    for (char c : literal.toCharArray()) {
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
