package dev.sluice.analysis.provider;

/** The AnalysisRun a measurement belongs to: where Jobs go and whom they are owned by. */
public record RunReference(String namespace, String name, String uid, String apiVersion, String kind) {}
