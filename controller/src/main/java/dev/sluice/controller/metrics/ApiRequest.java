package dev.sluice.controller.metrics;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a request to the Kubernetes API server does, read from its method and URL the way the API
 * server reads it: a verb ({@code get}, {@code list}, {@code watch}, {@code create}, {@code update},
 * {@code patch}, {@code delete}, {@code deletecollection}), an API group ({@code core} for the
 * legacy group) and a resource with its subresource ({@code rollouts/status}). Object and namespace
 * names are dropped, so the values are bounded by the kinds the controller uses.
 */
public record ApiRequest(String verb, String group, String resource) {
  /** Discovery, {@code /version}, {@code /openapi} and other paths that name no resource. */
  public static final String NON_RESOURCE = "none";

  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  public static ApiRequest of(String method, URI uri) {
    String m = method == null ? "get" : method.toLowerCase(Locale.ROOT);
    List<String> parts = Arrays.stream(uri.getRawPath() == null ? new String[0] : uri.getRawPath().split("/"))
        .filter(p -> !p.isEmpty()).toList();
    String group;
    List<String> rest;
    if (parts.size() >= 2 && parts.get(0).equals("api")) {
      group = "core";
      rest = parts.subList(2, parts.size());
    } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      rest = parts.subList(3, parts.size());
    } else {
      return new ApiRequest(m, NON_RESOURCE, NON_RESOURCE);
    }
    boolean watchPath = !rest.isEmpty() && rest.get(0).equals("watch"); // the old /api/v1/watch/... form
    if (watchPath) rest = rest.subList(1, rest.size());
    if (rest.isEmpty()) {
      return new ApiRequest(m, group, NON_RESOURCE); // discovery of a group version
    }
    // namespaces/NS/pods/... is about pods; namespaces/NS and namespaces/NS/status are about namespaces
    if (rest.get(0).equals("namespaces") && rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
      rest = rest.subList(2, rest.size());
    }
    String resource = rest.size() > 2 ? rest.get(0) + "/" + rest.get(2) : rest.get(0);
    boolean named = rest.size() > 1;
    return new ApiRequest(verb(m, named, watchPath || isWatch(uri.getRawQuery())), group, resource);
  }

  private static String verb(String method, boolean named, boolean watch) {
    switch (method) {
      case "get":
      case "head":
        if (watch) return "watch";
        return named ? "get" : "list";
      case "post":
        return "create";
      case "put":
        return "update";
      case "patch":
        return "patch";
      case "delete":
        return named ? "delete" : "deletecollection";
      default:
        return method;
    }
  }

  private static boolean isWatch(String query) {
    if (query == null) return false;
    for (String param : query.split("&")) {
      if (param.equals("watch=true") || param.equals("watch=1")) return true;
    }
    return false;
  }
}
