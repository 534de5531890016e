package dev.sluice.cli;

import java.io.PrintWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;

/** The entry point of kubectl-sluice.jar. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // fabric8 logs through slf4j; a person running a command wants its output, not client logs
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      String level = System.getenv("SLUICE_CLI_LOG");
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level == null ? "off" : level);
    }
    // UTF-8 like kubectl, whatever the JVM's locale: the tree is drawn with box characters
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int exitCode = SluiceCli.run(out, err, args);
    System.exit(exitCode);
  }
}
