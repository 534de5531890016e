package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void theCommandsThatStartTheReadAheadAreSubcommands() {
    // a renamed command would silently lose its head start
    assertThat(SluiceCli.commandLine(Clock.systemUTC()).getSubcommands().keySet()).containsAll(Main.CLUSTER_COMMANDS);
  }
}
