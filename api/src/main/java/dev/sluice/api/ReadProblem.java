package dev.sluice.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * Why a stored object could not be bound to Sluice's model, for a person: where in the object and
 * what, e.g. "status.replicas: Numeric value (9000000000) out of range of int (-2147483648 -
 * 2147483647)", without Java package names. The controller (an Unreadable event) and kubectl-sluice
 * (one line per such Rollout) both say it this way. {@code pointer}: the same place as a JSON
 * Pointer ("/status/replicas"), empty when the problem has no place.
 */
public record ReadProblem(String path, String pointer, String message) {

  public static ReadProblem of(JacksonException problem) {
    StringBuilder path = new StringBuilder();
    StringBuilder pointer = new StringBuilder();
    if (problem instanceof JsonMappingException m) {
      for (JsonMappingException.Reference ref : m.getPath()) {
        if (ref.getFieldName() != null) {
          path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
          pointer.append('/').append(ref.getFieldName().replace("~", "~0").replace("/", "~1"));
        } else if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
          pointer.append('/').append(ref.getIndex());
        }
      }
    }
    String message = problem.getOriginalMessage();
    message = message == null ? problem.getClass().getSimpleName() : message.lines().findFirst().orElse("").strip();
    // `io.fabric8.kubernetes.api.model.IntOrString` -> IntOrString
    message = message.replaceAll("`(?:[A-Za-z0-9_$]+\\.)+([A-Za-z0-9_$]+)`", "$1");
    return new ReadProblem(path.toString(), pointer.toString(), message);
  }

  @Override
  public String toString() {
    return (path.isEmpty() ? "" : path + ": ") + message;
  }
}
