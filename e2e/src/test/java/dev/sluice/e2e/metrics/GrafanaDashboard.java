package dev.sluice.e2e.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL a Grafana dashboard JSON runs: every {@code expr} of its panels (rows included) and
 * annotations, and the queries of its template variables, with the variables substituted as
 * Grafana would substitute them for one chosen value.
 */
final class GrafanaDashboard {
  private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.+),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\)$", Pattern.DOTALL);

  /** One query and where in the dashboard it is (for messages). */
  record Query(String where, String expr) {}

  /** A template variable: its name and its query, as PromQL (label_values(m, l) is asked as group by (l) (m)). */
  record Variable(String name, String label, String promql) {}

  private final JsonNode root;

  GrafanaDashboard(Path file) {
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The data-source variable the panels use (so a provisioned dashboard finds its Prometheus). */
  String prometheusDatasourceVariable() {
    for (JsonNode v : root.path("templating").path("list")) {
      if ("datasource".equals(v.path("type").asText()) && "prometheus".equals(v.path("query").asText())) {
        return v.path("name").asText();
      }
    }
    return "";
  }

  /** Every data-source reference in panels and targets, as written. */
  List<String> datasourceRefs() {
    List<String> refs = new ArrayList<>();
    root.path("panels").findValues("datasource").forEach(ds -> refs.add(ds.isTextual() ? ds.asText() : ds.path("uid").asText()));
    return refs;
  }

  List<Variable> variables() {
    List<Variable> variables = new ArrayList<>();
    for (JsonNode v : root.path("templating").path("list")) {
      if ("datasource".equals(v.path("type").asText())) continue;
      JsonNode q = v.path("query");
      String query = q.isTextual() ? q.asText() : q.path("query").asText();
      Matcher m = LABEL_VALUES.matcher(query.strip());
      if (!m.matches()) {
        throw new IllegalArgumentException("variable " + v.path("name").asText() + ": only label_values(metric, label) is supported: " + query);
      }
      variables.add(new Variable(v.path("name").asText(), m.group(2), "group by (" + m.group(2) + ") (" + m.group(1) + ")"));
    }
    return variables;
  }

  List<Query> queries() {
    List<Query> queries = new ArrayList<>();
    for (JsonNode a : root.path("annotations").path("list")) {
      if (a.has("expr")) queries.add(new Query("annotation \"" + a.path("name").asText() + "\"", a.path("expr").asText()));
    }
    collectPanels(root.path("panels"), queries);
    return queries;
  }

  private static void collectPanels(JsonNode panels, List<Query> into) {
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        if (target.has("expr")) {
          into.add(new Query("panel \"" + panel.path("title").asText() + "\" " + target.path("refId").asText(), target.path("expr").asText()));
        }
      }
      collectPanels(panel.path("panels"), into); // collapsed rows keep their panels inside
    }
  }

  /**
   * Replaces {@code $name} and {@code ${name}} with the chosen values, then Grafana's interval
   * variables; fails when a {@code $} is left, so a variable the test does not know is not missed.
   */
  static String substitute(String expr, Map<String, String> values) {
    Map<String, String> all = new LinkedHashMap<>(values);
    all.put("__rate_interval", "1m");
    all.put("__interval", "15s");
    all.put("__range", "5m");
    String result = expr;
    for (String name : all.keySet().stream().sorted(Comparator.comparing(String::length).reversed()).toList()) {
      result = result.replace("${" + name + "}", all.get(name)).replace("$" + name, all.get(name));
    }
    if (result.contains("$")) {
      throw new IllegalArgumentException("a variable is left in " + result + " (known: " + all.keySet() + ")");
    }
    return result;
  }
}
