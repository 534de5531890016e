package dev.sluice.cli.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** The dashboard's JSON: views and {"error": ...} / {"message": ...} answers. Jackson does the escaping. */
public final class DashboardJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DashboardJson() {}

  public static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      // the views are plain records of strings and numbers: this would be a bug in them
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  public static String error(String message) {
    return write(Map.of("error", message));
  }

  public static String message(String message) {
    return write(Map.of("message", message));
  }
}
