package dev.sluice.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.CliException;
import dev.sluice.cli.actions.UndoTarget;
import dev.sluice.cli.kube.RolloutClient;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "undo", description = {
    "Put the pod template of an earlier revision back into the rollout (the update then goes out like any other).",
    "Default: the revision before the current one."})
public final class UndoCommand extends ActionCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--to-revision", paramLabel = "N", description = "The revision to go back to (see 'get rollout')")
  Long toRevision;

  @Override
  String act(RolloutClient rollouts, Rollout rollout) {
    if (rollout.getSpec() != null && rollout.getSpec().workloadRef() != null) {
      // a spec.template next to the workloadRef would make the rollout invalid
      throw new CliException("rollout \"" + name + "\" takes its pod template from Deployment \""
          + rollout.getSpec().workloadRef().name() + "\" (spec.workloadRef): put the earlier template back in the Deployment");
    }
    String currentHash = rollout.getStatus() == null ? null : rollout.getStatus().currentPodHash();
    ReplicaSet target = UndoTarget.choose(name, rollouts.replicaSets(rollout), currentHash,
        toRevision == null ? OptionalLong.empty() : OptionalLong.of(toRevision));
    var template = UndoTarget.template(target);
    // the whole template is replaced, so that labels or containers added since that revision go too
    ArrayNode patch = JSON.createArrayNode();
    patch.addObject().put("op", "replace").put("path", "/spec/template")
        .set("value", rollouts.client().getKubernetesSerialization().convertValue(template, JsonNode.class));
    rollouts.jsonPatch(name, patch.toString());
    return "rollout \"" + name + "\" goes back to revision " + UndoTarget.revision(target).getAsLong()
        + " (ReplicaSet " + target.getMetadata().getName() + ")";
  }
}
