package dev.sluice.bench.scale;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Request counts keyed "verb resource" from a Prometheus text page: the controller's own
 * {@code sluice_kubernetes_api_requests_total} (or Argo Rollouts' {@code controller_clientset_k8s_request_total})
 * or the API server's {@code apiserver_request_total}.
 */
record RequestCounts(Map<String, Long> byVerbAndResource) {
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  static final java.util.Set<String> WRITE_VERBS = java.util.Set.of("create", "update", "patch", "delete",
      "deletecollection", "POST", "PUT", "PATCH", "DELETE", "APPLY");

  static RequestCounts parse(String page, String metric) {
    return parse(page, metric, labels -> {
      String sub = labels.getOrDefault("subresource", "");
      String resource = labels.getOrDefault("resource", "") + (sub.isEmpty() ? "" : "/" + sub);
      // failed requests (a 409 conflict, a 404) apart from the others: "update rollouts/status 409"
      String code = labels.getOrDefault("code", "200");
      return labels.get("verb") + " " + resource + (code.startsWith("2") ? "" : " " + code);
    });
  }

  /** Counts of {@code metric} summed by the key {@code keyOf} makes of each series' labels. */
  static RequestCounts parse(String page, String metric, Function<Map<String, String>, String> keyOf) {
    Pattern line = Pattern.compile("^" + metric + "\\{(.*)} (\\S+)$");
    Map<String, Long> counts = new TreeMap<>();
    for (String l : page.split("\n")) {
      Matcher m = line.matcher(l);
      if (!m.matches()) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      Matcher lm = LABEL.matcher(m.group(1));
      while (lm.find()) {
        labels.put(lm.group(1), lm.group(2));
      }
      counts.merge(keyOf.apply(labels), (long) Double.parseDouble(m.group(2)), Long::sum);
    }
    return new RequestCounts(counts);
  }

  RequestCounts minus(RequestCounts before) {
    Map<String, Long> d = new TreeMap<>();
    byVerbAndResource.forEach((k, v) -> {
      long diff = v - before.byVerbAndResource.getOrDefault(k, 0L);
      if (diff > 0) {
        d.put(k, diff);
      }
    });
    return new RequestCounts(d);
  }

  /** These counts without the given resources. */
  RequestCounts without(java.util.Set<String> resources) {
    Map<String, Long> d = new TreeMap<>(byVerbAndResource);
    d.keySet().removeIf(k -> resources.contains(k.split(" ")[1]));
    return new RequestCounts(d);
  }

  long writes() {
    return byVerbAndResource.entrySet().stream().filter(e -> WRITE_VERBS.contains(e.getKey().split(" ")[0]))
        .mapToLong(Map.Entry::getValue).sum();
  }

  long total() {
    return byVerbAndResource.values().stream().mapToLong(Long::longValue).sum();
  }
}
