package dev.sluice.cli.actions;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The JSON merge patches behind the user actions (shared/api.md, "user actions"), the same a
 * person would send with {@code kubectl patch}.
 */
public final class RolloutPatches {
  /** status subresource: leave the current pause and go on to the next step */
  public static final String CLEAR_PAUSE_CONDITIONS = "{\"status\":{\"pauseConditions\":null}}";
  /** status subresource: skip all remaining steps and analysis */
  public static final String PROMOTE_FULL = "{\"status\":{\"promoteFull\":true}}";
  public static final String ABORT = "{\"status\":{\"abort\":true}}";
  public static final String RETRY = "{\"status\":{\"abort\":false}}";
  public static final String PAUSE = "{\"spec\":{\"paused\":true}}";
  public static final String UNPAUSE = "{\"spec\":{\"paused\":false}}";

  private RolloutPatches() {}

  /**
   * status subresource: go on to step {@code index}, only if the rollout is still at {@code
   * resourceVersion} (the API server answers 409 otherwise).
   */
  public static String skipStep(String resourceVersion, int index) {
    return "{\"metadata\":{\"resourceVersion\":\"" + resourceVersion + "\"},\"status\":{\"currentStepIndex\":" + index + "}}";
  }

  /** spec.restartAt = now, as RFC 3339 in UTC to the second. */
  public static String restartAt(Instant now) {
    return "{\"spec\":{\"restartAt\":\"" + now.truncatedTo(ChronoUnit.SECONDS) + "\"}}";
  }
}
