package dev.sluice.analysis.condition;

import dev.cel.common.CelErrorCode;
import dev.cel.common.CelException;
import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationListener;
import dev.cel.runtime.CelRuntime;
import dev.sluice.analysis.AnalysisPhase;
import java.util.Map;

/**
 * A metric's compiled successCondition and failureCondition, decided like Argo Rollouts: with only
 * a success condition, anything else is a failure; with only a failure condition, anything else is
 * a success; with both, a value meeting neither is Inconclusive; failure wins when both hold; with
 * none, every measurement is Successful.
 */
public final class MetricConditions {
  private final Condition success;
  private final Condition failure;

  record Condition(String role, String text, CelRuntime.Program program) {}

  MetricConditions(Condition success, Condition failure) {
    this.success = success;
    this.failure = failure;
  }

  /**
   * @param result the measured value, already converted with {@link CelValues#of}
   * @param shown the value as the measurement shows it, for messages
   */
  public ConditionOutcome assess(Object result, String shown) {
    if (success == null && failure == null) {
      return new ConditionOutcome(AnalysisPhase.Successful, null);
    }
    Boolean succeeded = null;
    Boolean failed = null;
    try {
      if (success != null) {
        succeeded = evaluate(success, result, shown);
      }
      if (failure != null) {
        failed = evaluate(failure, result, shown);
      }
    } catch (NotEvaluable e) {
      return new ConditionOutcome(AnalysisPhase.Error, e.getMessage());
    }
    if (failed == null) {
      return succeeded
          ? new ConditionOutcome(AnalysisPhase.Successful, null)
          : new ConditionOutcome(AnalysisPhase.Failed, describe(success, false, shown));
    }
    if (failed) {
      return new ConditionOutcome(AnalysisPhase.Failed, describe(failure, true, shown));
    }
    if (succeeded == null || succeeded) {
      return new ConditionOutcome(AnalysisPhase.Successful, null);
    }
    return new ConditionOutcome(AnalysisPhase.Inconclusive,
        "neither successCondition \"%s\" nor failureCondition \"%s\" is true for %s".formatted(success.text(), failure.text(), shown));
  }

  private static String describe(Condition condition, boolean outcome, String shown) {
    return "%s \"%s\" is %s for %s".formatted(condition.role(), condition.text(), outcome, shown);
  }

  private static boolean evaluate(Condition condition, Object result, String shown) {
    Object value;
    try {
      value = condition.program().trace(Map.of("result", result), new Deadline(System.nanoTime() + ConditionEvaluator.MAX_EVALUATION.toNanos()));
    } catch (CelEvaluationException e) {
      throw new NotEvaluable("%s \"%s\" cannot be evaluated on %s: %s".formatted(condition.role(), condition.text(), shown, reason(e)));
    } catch (RuntimeException e) {
      throw new NotEvaluable("%s \"%s\" cannot be evaluated on %s: %s".formatted(condition.role(), condition.text(), shown, e.getMessage()));
    }
    if (!(value instanceof Boolean)) {
      throw new NotEvaluable("%s \"%s\" gave %s for %s, not true or false".formatted(condition.role(), condition.text(), value, shown));
    }
    return (Boolean) value;
  }

  /** Called after every step of an evaluation: stops one that has run out of time. */
  private record Deadline(long nanos) implements CelEvaluationListener {
    @Override
    public void callback(CelExpr expr, Object evaluated) {
      if (System.nanoTime() - nanos > 0) {
        throw new TooLong();
      }
    }
  }

  private static final class TooLong extends RuntimeException {
    TooLong() {
      super(null, null, false, false);
    }
  }

  private static String reason(CelEvaluationException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TooLong) {
        return "it runs longer than " + ConditionEvaluator.MAX_EVALUATION.toMillis() + " ms, the most a condition may take";
      }
      if (t instanceof CelException cel && cel.getErrorCode() == CelErrorCode.ITERATION_BUDGET_EXCEEDED) {
        return "it needs more than " + ConditionEvaluator.MAX_ITERATIONS + " iterations, the most a condition may take";
      }
    }
    // a helper's own message (e.g. asInt on "abc") says more than CEL's "Function 'x' failed"
    if (e.getCause() instanceof IllegalArgumentException && e.getCause().getMessage() != null) {
      return e.getCause().getMessage();
    }
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message.replaceFirst("^evaluation error at <input>:\\d+: ", "");
  }

  private static final class NotEvaluable extends RuntimeException {
    NotEvaluable(String message) {
      super(message, null, false, false);
    }
  }
}
