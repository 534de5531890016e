package dev.sluice.analysis.run;

import dev.sluice.api.v1alpha1.AnalysisRunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The run after this reconcile's measurements: the status to write, the in-flight measurements
 * that were cut short (their providers should stop them, e.g. delete the Job), the transitions to
 * report, and when the next measurement is due (empty: nothing to wait for by time).
 */
public record RunAssessment(
    AnalysisRunStatus status, List<DueMeasurement> terminated, List<RunEvent> events, Optional<Instant> nextLook) {}
