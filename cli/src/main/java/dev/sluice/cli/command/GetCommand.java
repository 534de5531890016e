package dev.sluice.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

@Command(name = "get", description = "Show a rollout in detail.", subcommands = GetRolloutCommand.class)
public final class GetCommand extends BaseCommand implements Runnable {
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "say what to get, e.g. get rollout NAME");
  }
}
