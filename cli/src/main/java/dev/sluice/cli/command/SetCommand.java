package dev.sluice.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

@Command(name = "set", description = "Change part of a rollout.", subcommands = SetImageCommand.class)
public final class SetCommand extends BaseCommand implements Runnable {
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "say what to set, e.g. set image NAME CONTAINER=IMAGE");
  }
}
