package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The CRD YAML in crds/ is what users apply; it must be exactly what the model generates. */
class CommittedCrdsTest {
  private static final String REGENERATE = "crds/ is stale: run `mvn -pl api process-classes -Pupdate-crds` and commit crds/";

  private final Path generated = Path.of(System.getProperty("sluice.generatedCrds"));
  private final Path committed = Path.of(System.getProperty("sluice.committedCrds"));

  @Test
  void everyGeneratedCrdIsCommittedUnchanged() throws IOException {
    try (Stream<Path> files = Files.list(generated)) {
      var generatedFiles = files.filter(p -> p.toString().endsWith(".yml")).toList();
      assertThat(generatedFiles).as("CRDs generated from the api model").isNotEmpty();
      for (Path g : generatedFiles) {
        Path c = committed.resolve(g.getFileName());
        assertThat(c).as(REGENERATE + " (missing " + c.getFileName() + ")").exists();
        assertThat(Files.readString(c)).as(REGENERATE + " (" + c.getFileName() + " differs)")
            .isEqualTo(Files.readString(g));
      }
    }
  }

  @Test
  void noCommittedCrdIsLeftOverFromARemovedKind() throws IOException {
    try (Stream<Path> files = Files.list(committed)) {
      files.filter(p -> p.toString().endsWith(".yml"))
          .forEach(c -> assertThat(generated.resolve(c.getFileName()))
              .as(REGENERATE + " (" + c.getFileName() + " is no longer generated)").exists());
    }
  }
}
