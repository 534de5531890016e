package dev.sluice.e2e.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * kstatus's verdict on an object, from the real library Flux and kpt use (sigs.k8s.io/cli-utils),
 * through {@code dev/kstatus} (which builds its checker the first time).
 */
final class KstatusCheck {
  record Result(String status, String message) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path repoRoot;

  KstatusCheck(Path repoRoot) {
    this.repoRoot = repoRoot;
  }

  Result check(String objectJson) {
    String out = Processes.run(repoRoot, Duration.ofMinutes(20), objectJson, List.of("dev/kstatus"));
    try {
      JsonNode n = JSON.readTree(out);
      return new Result(n.path("status").asText(), n.path("message").asText());
    } catch (IOException e) {
      throw new UncheckedIOException("dev/kstatus printed no JSON: " + out, e);
    }
  }
}
