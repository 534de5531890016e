package dev.sluice.analysis.provider;

import dev.sluice.analysis.AnalysisPhase;
import java.time.Instant;

/** What a provider reports for one measurement. */
public sealed interface ProviderResult {

  /**
   * A value for the metric's conditions to judge.
   *
   * @param shown the value as status shows it, e.g. {@code [0.97]}
   * @param result the value as conditions see it (see {@link dev.sluice.analysis.condition.CelValues})
   * @param note something the user should know about the value, e.g. that the query returned NaN; or null
   */
  record Observed(String shown, Object result, String note) implements ProviderResult {}

  /** The provider itself decided (a Job succeeded or failed). */
  record Concluded(AnalysisPhase phase, String shown, String message) implements ProviderResult {}

  /** Still going (a Job running); look again at {@code resumeAt}, or when something changes if null. */
  record InProgress(String message, Instant resumeAt) implements ProviderResult {}

  /** The measurement could not be taken; counts towards consecutiveErrorLimit. */
  record Failure(String message) implements ProviderResult {}
}
