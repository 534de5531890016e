package dev.sluice.cli.actions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.CliException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * `set image`: a JSON patch that changes the image of named containers (or init containers) of
 * the pod template, each guarded by a test of the container's name so that a concurrent edit
 * reordering the containers makes the patch fail instead of changing the wrong one.
 */
public final class ImageUpdate {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ImageUpdate() {}

  /** Parses CONTAINER=IMAGE. */
  public static Map.Entry<String, String> parse(String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0 || eq == assignment.length() - 1) {
      throw new IllegalArgumentException("expected CONTAINER=IMAGE, got \"" + assignment + "\"");
    }
    return Map.entry(assignment.substring(0, eq), assignment.substring(eq + 1));
  }

  public static String jsonPatch(String rolloutName, PodSpec pod, List<Map.Entry<String, String>> images) {
    ArrayNode patch = JSON.createArrayNode();
    List<Container> containers = pod == null || pod.getContainers() == null ? List.of() : pod.getContainers();
    List<Container> initContainers = pod == null || pod.getInitContainers() == null ? List.of() : pod.getInitContainers();
    for (Map.Entry<String, String> image : images) {
      boolean found = add(patch, "containers", containers, image) | add(patch, "initContainers", initContainers, image);
      if (!found) {
        List<String> names = new ArrayList<>();
        containers.forEach(c -> names.add(c.getName()));
        initContainers.forEach(c -> names.add(c.getName() + " (init)"));
        throw new CliException("rollout \"" + rolloutName + "\" has no container \"" + image.getKey() + "\""
            + (names.isEmpty() ? "" : " (containers: " + names.stream().collect(Collectors.joining(", ")) + ")"));
      }
    }
    return patch.toString();
  }

  private static boolean add(ArrayNode patch, String list, List<Container> containers, Map.Entry<String, String> image) {
    for (int i = 0; i < containers.size(); i++) {
      if (image.getKey().equals(containers.get(i).getName())) {
        String base = "/spec/template/spec/" + list + "/" + i;
        patch.add(operation("test", base + "/name", image.getKey()));
        patch.add(operation(containers.get(i).getImage() == null ? "add" : "replace", base + "/image", image.getValue()));
        return true;
      }
    }
    return false;
  }

  private static ObjectNode operation(String op, String path, String value) {
    ObjectNode node = JSON.createObjectNode();
    node.put("op", op);
    node.put("path", path);
    node.put("value", value);
    return node;
  }
}
