package dev.sluice.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

@Command(name = "analysis", description = "Work with analyses offline.", subcommands = AnalysisReplayCommand.class)
public final class AnalysisCommand extends BaseCommand implements Runnable {
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "say what to do, e.g. analysis replay -f TEMPLATE.yaml --from TIME");
  }
}
