package dev.sluice.cli.command;

import dev.sluice.cli.lint.ManifestLint;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "lint", description = {
    "Check Rollout, AnalysisTemplate and ClusterAnalysisTemplate manifests offline.",
    "Prints each problem as FILE:LINE: KIND NAME: PATH: PROBLEM; exits 1 if there is any."})
public final class LintCommand extends BaseCommand implements Callable<Integer> {
  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "Manifest file(s); - for standard input")
  List<String> files;

  @Override
  public Integer call() {
    int problems = 0;
    for (String file : files) {
      ManifestLint.Report report = ManifestLint.lint(ManifestFiles.read(file, System.in));
      String name = "-".equals(file) ? "<stdin>" : file;
      report.findings().forEach(f -> out().println(f.format(name)));
      problems += report.findings().size();
      if (report.ok()) {
        out().println(name + ": no problems in " + (report.checked().isEmpty() ? "it (no Sluice manifests found)" : String.join(", ", report.checked())));
      }
    }
    if (problems > 0) {
      out().println(problems + (problems == 1 ? " problem" : " problems"));
      return 1;
    }
    return 0;
  }
}
