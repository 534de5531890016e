package dev.sluice.cli.actions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class RolloutPatchesTest {

  @Test
  void restartAtIsAnRfc3339TimeInUtcToTheSecond() throws Exception {
    String patch = RolloutPatches.restartAt(Instant.parse("2025-03-01T12:34:56.789Z"));

    String restartAt = new ObjectMapper().readTree(patch).at("/spec/restartAt").asText();
    assertThat(restartAt).isEqualTo("2025-03-01T12:34:56Z");
    assertThat(OffsetDateTime.parse(restartAt).toInstant()).isEqualTo(Instant.parse("2025-03-01T12:34:56Z"));
  }
}
