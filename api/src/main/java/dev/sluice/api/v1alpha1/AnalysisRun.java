package dev.sluice.api.v1alpha1;

import dev.sluice.api.schema.IntegerFormats;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One execution of an analysis, owned by the rollout that started it. */
@Group(Rollout.GROUP)
@Version(Rollout.VERSION)
@Plural("analysisruns")
@ShortNames("sar")
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@SchemaCustomizer(value = IntegerFormats.class, input = "dev.sluice.api.v1alpha1.AnalysisRun")
public class AnalysisRun extends CustomResource<AnalysisRunSpec, AnalysisRunStatus> implements Namespaced {}
