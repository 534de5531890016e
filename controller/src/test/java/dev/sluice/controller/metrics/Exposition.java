package dev.sluice.controller.metrics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A /metrics page read as Prometheus reads text format 0.0.4, strictly: each metric's HELP and TYPE
 * at most once and before its series, all lines of a metric together, each series once.
 */
record Exposition(Map<String, String> help, Map<String, String> type, Map<String, Double> series) {
  private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*})? (\\S+)( -?\\d+)?");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
  private static final Set<String> WITH_SUFFIXES = Set.of("counter", "histogram", "summary");
  private static final String[] SUFFIXES = {"_bucket", "_count", "_sum", "_created"};

  static Exposition parse(String page) {
    if (!page.isEmpty() && !page.endsWith("\n")) throw new IllegalArgumentException("the page does not end with a newline");
    Map<String, String> help = new HashMap<>();
    Map<String, String> type = new HashMap<>();
    Map<String, Double> series = new LinkedHashMap<>();
    Set<String> done = new HashSet<>();
    String current = null;
    boolean currentHasSeries = false;
    for (String line : page.split("\n")) {
      Matcher comment = COMMENT.matcher(line);
      Matcher sample = SAMPLE.matcher(line);
      boolean isComment = comment.matches();
      if (line.isBlank() || (line.startsWith("#") && !isComment)) continue;
      if (!isComment && !sample.matches()) throw new IllegalArgumentException("not a line of text format 0.0.4: " + line);
      String family = isComment ? comment.group(2) : family(sample.group(1), type);
      if (!family.equals(current)) {
        if (!done.add(family)) throw new IllegalArgumentException("the lines of " + family + " are not together");
        current = family;
        currentHasSeries = false;
      }
      if (isComment) {
        Map<String, String> seen = comment.group(1).equals("HELP") ? help : type;
        if (seen.put(family, comment.group(3)) != null) throw new IllegalArgumentException("second " + comment.group(1) + " of " + family);
        if (seen == type && !TYPES.contains(comment.group(3))) throw new IllegalArgumentException("type " + line);
        if (seen == type && currentHasSeries) throw new IllegalArgumentException("TYPE after the series of " + family);
      } else {
        currentHasSeries = true;
        if (series.put(sample.group(1) + (sample.group(2) == null ? "" : sample.group(2)), value(sample.group(3))) != null) {
          throw new IllegalArgumentException("second " + line);
        }
      }
    }
    return new Exposition(help, type, series);
  }

  private static String family(String name, Map<String, String> type) {
    for (String suffix : SUFFIXES) {
      String base = name.substring(0, name.length() - (name.endsWith(suffix) ? suffix.length() : 0));
      if (!base.equals(name) && WITH_SUFFIXES.contains(type.getOrDefault(base, ""))) return base;
    }
    return name;
  }

  private static double value(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }
}
