package dev.sluice.cli;

import dev.sluice.cli.kube.ReadAhead;
import dev.sluice.cli.kube.ShownFields;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** The entry point of kubectl-sluice.jar. */
public final class Main {
  /** The subcommands that read the cluster (a word of the command line naming one is enough: it only starts work early). */
  static final Set<String> CLUSTER_COMMANDS = Set.of(
      "get", "list", "status", "promote", "abort", "retry", "pause", "resume", "restart", "undo", "set", "dashboard");

  private Main() {}

  /**
   * Whether the command line names a command that reads the cluster through the fabric8 client; a
   * one look (get without --watch, list, status --watch=false) reads without it when it can
   * (DirectReads). Only a guess at which work to start early: a wrong one costs time, nothing else.
   */
  static boolean buildsTheClient(List<String> args) {
    if (args.contains("get")) return args.stream().anyMatch(arg -> arg.startsWith("-w") || arg.startsWith("--watch"));
    if (args.contains("list")) return false;
    if (args.contains("status")) return !oneLook(args);
    return args.stream().anyMatch(CLUSTER_COMMANDS::contains);
  }

  private static boolean oneLook(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--watch=false") || arg.equals("-w=false")) return true;
      if ((arg.equals("--watch") || arg.equals("-w")) && i + 1 < args.size() && args.get(i + 1).equals("false")) return true;
    }
    return false;
  }

  public static void main(String[] args) {
    // fabric8 logs through slf4j; a person running a command wants its output, not client logs
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      String level = System.getenv("SLUICE_CLI_LOG");
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level == null ? "off" : level);
    }
    // Jackson's readers get built on the other core while picocli parses and the command connects
    if (buildsTheClient(List.of(args))) {
      ReadAhead.start();
    } else if (List.of(args).stream().anyMatch(CLUSTER_COMMANDS::contains)) {
      ShownFields.prepareAhead();
    }
    // UTF-8 like kubectl, whatever the JVM's locale: the tree is drawn with box characters
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int exitCode = SluiceCli.run(out, err, args);
    System.exit(exitCode);
  }
}
