package dev.sluice.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

@Command(name = "list", description = "List rollouts.", subcommands = ListRolloutsCommand.class)
public final class ListCommand extends BaseCommand implements Runnable {
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "say what to list, e.g. list rollouts");
  }
}
