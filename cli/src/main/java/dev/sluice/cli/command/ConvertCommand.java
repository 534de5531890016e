package dev.sluice.cli.command;

import dev.sluice.cli.CliException;
import dev.sluice.cli.convert.ArgoConverter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "convert", description = {
    "Turn Argo Rollouts manifests (argoproj.io/v1alpha1 Rollout, AnalysisTemplate, ClusterAnalysisTemplate) into Sluice ones.",
    "Other documents pass through unchanged. Anything without a Sluice equivalent is refused, naming its path."})
public final class ConvertCommand extends BaseCommand implements Callable<Integer> {
  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "The Argo Rollouts manifests; - for standard input")
  String file;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the result here instead of standard output")
  Path output;

  @Override
  public Integer call() {
    ArgoConverter.Conversion conversion;
    try {
      conversion = ArgoConverter.convert(ManifestFiles.read(file, System.in));
    } catch (ArgoConverter.ConversionRefused refused) {
      for (String reason : refused.reasons()) {
        err().println("error: cannot convert " + reason);
      }
      return 1;
    }
    conversion.notes().forEach(note -> err().println("note: " + note));
    if (output == null) {
      out().print(conversion.yaml());
      return 0;
    }
    try {
      Files.writeString(output, conversion.yaml(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("cannot write " + output + ": " + e.getMessage());
    }
    err().println("wrote " + output);
    return 0;
  }
}
