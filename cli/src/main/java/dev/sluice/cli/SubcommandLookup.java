package dev.sluice.cli;

import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Which subcommand a command line names, read from the arguments before picocli parses them. */
final class SubcommandLookup {
  /** Commands that work on the whole tree. */
  private static final Set<String> NEED_ALL = Set.of("help", "completion");

  private SubcommandLookup() {}

  /**
   * The subcommand class named by the first word that is not one of the root's options or their
   * values; null when there is none, it is not a subcommand, a root option is not known, or the
   * subcommand needs the whole tree.
   */
  static Class<?> named(CommandSpec root, List<Class<?>> subcommands, String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--")) return null;
      if (arg.startsWith("-") && arg.length() > 1) {
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        OptionSpec option = root.findOption(name);
        if (option == null) return null; // attached values (-nshop) and unknown options: let picocli sort them out
        if (!arg.contains("=") && option.arity().max() > 0) i++;
        continue;
      }
      if (NEED_ALL.contains(arg)) return null;
      for (Class<?> subcommand : subcommands) {
        Command command = subcommand.getAnnotation(Command.class);
        if (command.name().equals(arg) || List.of(command.aliases()).contains(arg)) return subcommand;
      }
      return null;
    }
    return null;
  }
}
