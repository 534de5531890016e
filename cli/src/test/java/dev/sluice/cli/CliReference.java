package dev.sluice.cli;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** docs/cli.md: the command reference, rendered as Markdown from the picocli command tree. */
final class CliReference {
  static final String REGENERATE = "mvn -B -pl cli -am test -Dtest=CliReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Dsluice.updateDocs=true";

  private CliReference() {}

  static String markdown(CommandLine root) {
    StringBuilder md = new StringBuilder();
    md.append("# kubectl sluice: command reference\n\n")
        .append("<!-- Generated from the picocli commands in cli/src/main/java; do not edit. Regenerate with:\n")
        .append("     ").append(REGENERATE).append(" -->\n\n")
        .append(String.join("\n", root.getCommandSpec().usageMessage().description())).append("\n\n")
        .append("Install: see [cli/README.md](../cli/README.md). kubectl runs `kubectl-sluice` from the PATH for `kubectl sluice`; ")
        .append("flags go after `sluice`. Exit codes: 0 success, 1 error, 2 wrong usage (and `status` timed out).\n\n");

    md.append("## Commands\n\n| command | what it does |\n|---|---|\n");
    List<CommandLine> commands = commands(root);
    for (CommandLine command : commands.subList(1, commands.size())) {
      md.append("| [`").append(path(command)).append("`](#").append(anchor(command)).append(") | ")
          .append(cell(firstLine(command.getCommandSpec()))).append(" |\n");
    }

    md.append("\n## Flags of every command\n\n")
        .append("Which cluster, as whom, in which namespace; they work before or after the subcommand, like kubectl's.\n\n");
    appendOptions(md, root.getCommandSpec().options().stream()
        .filter(o -> o.scopeType() == CommandLine.ScopeType.INHERIT).toList());

    for (CommandLine command : commands.subList(1, commands.size())) {
      CommandSpec spec = command.getCommandSpec();
      md.append("\n## ").append(path(command)).append("\n\n");
      md.append(description(spec)).append("\n\n");
      md.append("```\n").append(synopsis(spec)).append("\n```\n\n");
      if (spec.aliases().length > 0) {
        md.append("Aliases: ").append(java.util.Arrays.stream(spec.aliases()).map(a -> "`" + a + "`").collect(Collectors.joining(", "))).append("\n\n");
      }
      List<PositionalParamSpec> parameters = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
      if (!parameters.isEmpty()) {
        md.append("| argument | |\n|---|---|\n");
        for (PositionalParamSpec p : parameters) {
          md.append("| `").append(p.paramLabel()).append(p.isMultiValue() ? "..." : "").append("` | ")
              .append(cell(description(p))).append(" |\n");
        }
        md.append("\n");
      }
      List<OptionSpec> options = spec.options().stream().filter(o -> !o.inherited() && !o.hidden()).toList();
      appendOptions(md, options);
      if (!command.getSubcommands().isEmpty()) {
        md.append("Subcommands: ").append(subcommands(command).stream()
            .map(c -> "[`" + path(c) + "`](#" + anchor(c) + ")").collect(Collectors.joining(", "))).append("\n");
      }
    }
    return md.toString().replaceAll("\n{3,}", "\n\n").stripTrailing() + "\n";
  }

  private static void appendOptions(StringBuilder md, List<OptionSpec> options) {
    if (options.isEmpty()) return;
    md.append("| flag | |\n|---|---|\n");
    for (OptionSpec o : options) {
      String names = String.join(", ", o.names());
      // a flag that may take a value (--watch=false) shows it as optional
      String label = !o.typeInfo().isBoolean() ? " " + o.paramLabel() : o.arity().max() > 0 ? "[=" + o.paramLabel() + "]" : "";
      md.append("| `").append(names).append(label).append("` | ").append(cell(description(o))).append(" |\n");
    }
    md.append("\n");
  }

  /** Every command once, depth first, in the order `kubectl sluice --help` lists them. */
  static List<CommandLine> commands(CommandLine root) {
    List<CommandLine> all = new ArrayList<>();
    collect(root, all, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
    return all;
  }

  private static void collect(CommandLine command, List<CommandLine> into, Set<CommandLine> seen) {
    if (!seen.add(command)) return;
    into.add(command);
    subcommands(command).forEach(sub -> collect(sub, into, seen));
  }

  private static List<CommandLine> subcommands(CommandLine command) {
    Map<CommandLine, Boolean> unique = new java.util.LinkedHashMap<>();
    command.getSubcommands().values().forEach(sub -> unique.putIfAbsent(sub, true));
    return new ArrayList<>(unique.keySet());
  }

  private static String synopsis(CommandSpec spec) {
    StringBuilder synopsis = new StringBuilder(spec.qualifiedName(" "));
    spec.options().stream().filter(OptionSpec::required)
        .forEach(o -> synopsis.append(' ').append(o.shortestName()).append(' ').append(o.paramLabel()));
    synopsis.append(" [flags]");
    if (!spec.subcommands().isEmpty()) synopsis.append(" COMMAND");
    for (PositionalParamSpec p : spec.positionalParameters()) {
      String label = p.paramLabel() + (p.isMultiValue() ? "..." : "");
      synopsis.append(' ').append(p.arity().min() == 0 ? "[" + label + "]" : label);
    }
    return synopsis.toString();
  }

  private static String path(CommandLine command) {
    return command.getCommandSpec().qualifiedName(" ").replaceFirst("^kubectl sluice ?", "");
  }

  private static String anchor(CommandLine command) {
    return path(command).replace(' ', '-');
  }

  private static String firstLine(CommandSpec spec) {
    String[] header = spec.usageMessage().header();
    String[] description = spec.usageMessage().description();
    return header.length > 0 ? header[0] : description.length == 0 ? "" : text(description[0]).strip();
  }

  private static String description(CommandSpec spec) {
    List<String> lines = new ArrayList<>(List.of(spec.usageMessage().header()));
    lines.addAll(List.of(spec.usageMessage().description()));
    return text(String.join("\n", lines)).strip();
  }

  /** picocli's format markup, as the usage help prints it. */
  private static String text(String markup) {
    return markup.replace("%n", "\n").replace("%%", "%");
  }

  private static String description(ArgSpec arg) {
    String text = text(String.join(" ", arg.description()));
    return text.replace("${DEFAULT-VALUE}", String.valueOf(arg.defaultValue()));
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
