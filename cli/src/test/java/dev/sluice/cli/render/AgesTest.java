package dev.sluice.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgesTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(textBlock = """
      2025-03-01T11:59:15Z, 45s
      2025-03-01T11:58:01Z, 119s
      2025-03-01T11:48:00Z, 12m
      2025-03-01T07:00:00Z, 5h
      2025-02-26T12:00:00Z, 3d
      2025-03-01T12:00:05Z, 0s
      not-a-time,           -
      """)
  void likeKubectl(String created, String age) {
    assertThat(Ages.since(created, NOW)).isEqualTo(age);
  }
}
