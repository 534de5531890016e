package dev.sluice.analysis.condition;

import dev.sluice.analysis.AnalysisPhase;

/** What a measurement's conditions say: Successful, Failed, Inconclusive, or Error (could not evaluate). */
public record ConditionOutcome(AnalysisPhase phase, String message) {}
