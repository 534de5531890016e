package dev.sluice.cli.command;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.CliException;
import dev.sluice.cli.actions.ImageUpdate;
import dev.sluice.cli.kube.RolloutClient;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "image", description = "Change container images of the rollout's pod template: this starts an update.")
public final class SetImageCommand extends ActionCommand {
  @Parameters(index = "1..*", arity = "1..*", paramLabel = "CONTAINER=IMAGE", description = "e.g. app=registry.example/app:2.0")
  List<String> assignments;

  private List<Map.Entry<String, String>> images;

  @Override
  void validate() {
    try {
      images = assignments.stream().map(ImageUpdate::parse).collect(Collectors.toList());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  @Override
  String act(RolloutClient rollouts, Rollout rollout) {
    if (rollout.getSpec() != null && rollout.getSpec().workloadRef() != null) {
      String deployment = rollout.getSpec().workloadRef().name();
      throw new CliException("rollout \"" + name + "\" takes its pod template from Deployment \"" + deployment
          + "\" (spec.workloadRef): set the image there, e.g. kubectl set image deployment/" + deployment + " CONTAINER=IMAGE");
    }
    if (rollout.getSpec() == null || rollout.getSpec().template() == null) {
      throw new CliException("rollout \"" + name + "\" has no spec.template to set an image in");
    }
    rollouts.jsonPatch(name, ImageUpdate.jsonPatch(name, rollout.getSpec().template().getSpec(), images));
    return "rollout \"" + name + "\" image updated: "
        + images.stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
  }
}
