package dev.sluice.cli.command;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "completion", description = {
    "Print a shell completion script for kubectl-sluice (bash; zsh after 'autoload -U bashcompinit && bashcompinit').",
    "Load it with: source <(kubectl-sluice completion bash)"})
public final class CompletionCommand extends BaseCommand implements Runnable {
  enum Shell { bash, zsh }

  @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh")
  Shell shell;

  @Override
  public void run() {
    out().print(AutoComplete.bash("kubectl-sluice", spec.root().commandLine()));
  }
}
