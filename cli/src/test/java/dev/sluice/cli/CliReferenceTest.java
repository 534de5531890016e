package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** docs/cli.md is what users read: it must be exactly what the commands say about themselves. */
class CliReferenceTest {
  private final Path committed = Path.of(System.getProperty("sluice.cliReference", "../docs/cli.md"));

  @Test
  void docsCliMdIsTheReferenceGeneratedFromTheCommands() throws IOException {
    String generated = CliReference.markdown(SluiceCli.commandLine(Clock.systemUTC()));
    if (Boolean.getBoolean("sluice.updateDocs")) {
      Files.createDirectories(committed.getParent());
      Files.writeString(committed, generated);
    }

    assertThat(committed).as("docs/cli.md is missing: run " + CliReference.REGENERATE).exists();
    assertThat(Files.readString(committed)).as("docs/cli.md is stale: run " + CliReference.REGENERATE + " and commit docs/cli.md")
        .isEqualTo(generated);
  }

  @Test
  void everyCommandHasASection() {
    String generated = CliReference.markdown(SluiceCli.commandLine(Clock.systemUTC()));

    assertThat(generated).contains("\n## get rollout\n", "\n## set image\n", "\n## status\n", "\n## dashboard\n",
        "| `--context NAME` |", "| `-s, --server URL` |", "| `-w, --watch` |");
  }
}
