package dev.sluice.api.v1alpha1;

import dev.sluice.api.schema.IntegerFormats;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An AnalysisTemplate every namespace may use ({@code clusterScope: true}). */
@Group(Rollout.GROUP)
@Version(Rollout.VERSION)
@Plural("clusteranalysistemplates")
@ShortNames("scat")
@SchemaCustomizer(value = IntegerFormats.class, input = "dev.sluice.api.v1alpha1.ClusterAnalysisTemplate")
public class ClusterAnalysisTemplate extends CustomResource<AnalysisTemplateSpec, Void> {}
