package dev.sluice.cli.command;

import dev.sluice.cli.ManifestVersion;
import picocli.CommandLine.Command;

@Command(name = "version", description = "Print the version of kubectl-sluice.")
public final class VersionCommand extends BaseCommand implements Runnable {
  @Override
  public void run() {
    out().println(ManifestVersion.text());
  }
}
