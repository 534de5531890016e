package dev.sluice.controller.rollout;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.controller.plan.Action.CreateAnalysisRun;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** Builds the AnalysisRun a {@link CreateAnalysisRun} action asks for, owned by its rollout. */
final class AnalysisRunFactory {
  private AnalysisRunFactory() {}

  static AnalysisRun build(Rollout rollout, CreateAnalysisRun action) {
    var meta = rollout.getMetadata();
    AnalysisRun run = new AnalysisRun();
    run.setMetadata(new ObjectMetaBuilder()
        .withName(action.name())
        .withNamespace(meta.getNamespace())
        .withLabels(action.labels())
        .withAnnotations(action.annotations().isEmpty() ? null : action.annotations())
        .withOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion(rollout.getApiVersion()).withKind(rollout.getKind())
            .withName(meta.getName()).withUid(meta.getUid())
            .withController(true).withBlockOwnerDeletion(true).build())
        .build());
    run.setSpec(action.spec());
    return run;
  }
}
