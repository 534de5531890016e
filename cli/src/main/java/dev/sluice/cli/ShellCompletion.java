package dev.sluice.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Completion for {@code kubectl sluice <TAB>}: kubectl (1.26+) runs {@code kubectl_complete-sluice}
 * with the words typed after the plugin name, the last one being the word to complete (maybe empty),
 * and expects candidates one per line and then a Cobra directive line.
 */
public final class ShellCompletion {
  public static final String COMMAND = "__complete";
  /** Cobra's ShellCompDirectiveDefault: the shell may complete file names (for -f). */
  static final String FILES_ALLOWED = ":0";
  /** Cobra's ShellCompDirectiveNoFileComp. */
  static final String NO_FILES = ":4";

  private ShellCompletion() {}

  /** The candidate words, then the directive. */
  public static List<String> complete(CommandLine commandLine, List<String> words) {
    String[] args = words.isEmpty() ? new String[] {""} : words.toArray(new String[0]);
    String current = args[args.length - 1];
    List<CharSequence> suffixes = new ArrayList<>();
    int cursor = String.join(" ", args).length();
    AutoComplete.complete(commandLine.getCommandSpec(), args, args.length - 1, current.length(), cursor, suffixes);
    Set<String> candidates = new LinkedHashSet<>();
    for (CharSequence suffix : suffixes) {
      String candidate = current + suffix;
      if (!candidate.isEmpty() && !candidate.equals(COMMAND)) candidates.add(candidate);
    }
    List<String> lines = new ArrayList<>(candidates);
    lines.add(candidates.isEmpty() ? FILES_ALLOWED : NO_FILES);
    return lines;
  }
}
