package dev.sluice.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.v1alpha1.CanaryStep.HeaderMatch;
import dev.sluice.api.v1alpha1.CanaryStep.RouteMatch;
import dev.sluice.api.v1alpha1.CanaryStep.SetHeaderRoute;
import dev.sluice.api.v1alpha1.CanaryStep.SetMirrorRoute;
import dev.sluice.api.v1alpha1.CanaryStep.StringMatch;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;

/** Route objects written as a user would write them, and ways to look into the rewritten ones. */
final class Fixtures {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Fixtures() {}

  static <T> T parse(String yaml, Class<T> type) {
    return SERIALIZATION.unmarshal(yaml, type);
  }

  static JsonNode tree(Object resource) {
    return JsonTrees.toTree(resource);
  }

  /** The node at a JSON pointer such as {@code /spec/rules/0/backendRefs/1/weight}. */
  static JsonNode at(Object resource, String pointer) {
    return tree(resource).at(pointer);
  }

  static StringMatch exact(String value) {
    return new StringMatch(value, null, null);
  }

  static StringMatch prefix(String value) {
    return new StringMatch(null, value, null);
  }

  static StringMatch regex(String value) {
    return new StringMatch(null, null, value);
  }

  static SetHeaderRoute headerRoute(String name, String header, StringMatch value) {
    return new SetHeaderRoute(name, List.of(new HeaderMatch(header, value)));
  }

  static SetHeaderRoute removeHeaderRoute(String name) {
    return new SetHeaderRoute(name, null);
  }

  static SetMirrorRoute mirrorRoute(String name, Integer percentage, StringMatch method, StringMatch path,
      Map<String, StringMatch> headers) {
    return new SetMirrorRoute(name, percentage, List.of(new RouteMatch(method, path, headers)));
  }

  static SetMirrorRoute removeMirrorRoute(String name) {
    return new SetMirrorRoute(name, null, List.of());
  }
}
