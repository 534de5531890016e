package dev.sluice.cli.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What a user runs before applying an example: `kubectl sluice lint -f examples/X.yaml` finds nothing. */
class ExamplesLintTest {
  private static final Path EXAMPLES = Path.of("..", "examples");

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExampleLintsClean(Path example) throws IOException {
    ManifestLint.Report report = ManifestLint.lint(Files.readString(example));

    assertThat(report.findings()).as(example.toString()).isEmpty();
    assertThat(report.checked()).as(example + " has Sluice manifests").isNotEmpty();
  }

  @Test
  void theBlueGreenExampleChecksItsRolloutAndTemplateAndLeavesItsServicesAlone() throws IOException {
    ManifestLint.Report report = ManifestLint.lint(Files.readString(EXAMPLES.resolve("blue-green.yaml")));

    assertThat(report.checked()).containsExactly("AnalysisTemplate smoke-test", "Rollout shop");
    assertThat(report.skipped()).containsExactly("Service shop-active", "Service shop-preview");
  }
}
