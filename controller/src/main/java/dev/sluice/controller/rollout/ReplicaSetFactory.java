package dev.sluice.controller.rollout;

import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.controller.plan.Action.CreateReplicaSet;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;

/** Builds the ReplicaSet a {@link CreateReplicaSet} action asks for, owned by its rollout. */
final class ReplicaSetFactory {
  private ReplicaSetFactory() {}

  /** @param podTemplate the rollout's pod template: spec.template, or its workloadRef's Deployment's */
  static ReplicaSet build(Rollout rollout, PodTemplateSpec podTemplate, CreateReplicaSet action) {
    var spec = rollout.getSpec();
    var meta = rollout.getMetadata();
    var template = new PodTemplateSpecBuilder(podTemplate)
        .editOrNewMetadata().addToLabels(SluiceLabels.POD_TEMPLATE_HASH, action.hash()).endMetadata()
        .build();
    var selector = new LabelSelectorBuilder(spec.selector())
        .addToMatchLabels(SluiceLabels.POD_TEMPLATE_HASH, action.hash())
        .build();
    return new ReplicaSetBuilder()
        .withNewMetadata()
          .withName(action.name())
          .withNamespace(meta.getNamespace())
          .withLabels(template.getMetadata().getLabels())
          .addToAnnotations(SluiceLabels.REVISION, Long.toString(action.revision()))
          .withOwnerReferences(new OwnerReferenceBuilder()
              .withApiVersion(rollout.getApiVersion()).withKind(rollout.getKind())
              .withName(meta.getName()).withUid(meta.getUid())
              .withController(true).withBlockOwnerDeletion(true).build())
        .endMetadata()
        .withNewSpec()
          .withReplicas(action.replicas())
          .withMinReadySeconds(spec.minReadySeconds())
          .withSelector(selector)
          .withTemplate(template)
        .endSpec()
        .build();
  }
}
