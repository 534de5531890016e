package dev.sluice.api.v1alpha1;

import dev.sluice.api.schema.IntegerFormats;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Reusable metrics a rollout's analysis refers to by name. */
@Group(Rollout.GROUP)
@Version(Rollout.VERSION)
@Plural("analysistemplates")
@ShortNames("sat")
@SchemaCustomizer(value = IntegerFormats.class, input = "dev.sluice.api.v1alpha1.AnalysisTemplate")
public class AnalysisTemplate extends CustomResource<AnalysisTemplateSpec, Void> implements Namespaced {}
