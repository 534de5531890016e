package dev.sluice.analysis.condition;

import static dev.sluice.analysis.AnalysisPhase.Error;
import static dev.sluice.analysis.AnalysisPhase.Failed;
import static dev.sluice.analysis.AnalysisPhase.Inconclusive;
import static dev.sluice.analysis.AnalysisPhase.Successful;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.analysis.AnalysisPhase;
import dev.sluice.analysis.AnalysisSpecException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConditionEvaluatorTest {
  private final ConditionEvaluator evaluator = new ConditionEvaluator();

  /** success condition, failure condition, result, expected phase. */
  static Stream<Arguments> table() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("ok", true);
    json.put("rate", 0.97);
    json.put("count", 12);
    json.put("status", "healthy");
    json.put("missing", null);
    return Stream.of(
        // Argo-style Prometheus conditions, unchanged
        row("result[0] >= 0.95", null, List.of(0.97), Successful),
        row("result[0] >= 0.95", null, List.of(0.5), Failed),
        row("result >= 0.95", null, 0.97, Successful),
        row("result >= 0.95", null, 0.9, Failed),
        row(null, "result[0] > 0.05", List.of(0.01), Successful),
        row(null, "result[0] > 0.05", List.of(0.2), Failed),
        row("result[0] < 0.01", "result[0] > 0.05", List.of(0.03), Inconclusive),
        row("result[0] < 0.1", "result[0] > 0.05", List.of(0.07), Failed),
        row(null, null, List.of(0.5), Successful),
        // ints and doubles compare with each other
        row("result >= 1", null, 1L, Successful),
        row("result == 1", null, 1.0, Successful),
        row("result > 0.5", null, 2L, Successful),
        // expr-lang word operators
        row("result[0] >= 0 and result[0] < 0.05", null, List.of(0.01), Successful),
        row("result[0] < 0 or result[0] > 0.5", null, List.of(0.01), Failed),
        row("not isNaN(result[0]) && result[0] < 0.05", null, List.of(Double.NaN), Failed),
        row("result == 'rock and roll'", null, "rock and roll", Successful),
        // helpers
        row("isNaN(result)", null, Double.NaN, Successful),
        row("isNaN(result[0]) || result[0] < 0.05", null, List.of(Double.NaN), Successful),
        row("isInf(result)", null, Double.POSITIVE_INFINITY, Successful),
        row("isNil(result)", null, null, Successful),
        row("default(result, 0.0) < 0.05", null, null, Successful),
        row("default(result, 0.0) < 0.05", null, 0.5, Failed),
        row("asInt(result) == 42", null, "42", Successful),
        row("asFloat(result) >= 0.9", null, "0.93", Successful),
        row("asInt(result) > 2", null, 2.9, Failed),
        row("len(result) == 0 || result[0] < 0.05", null, List.of(), Successful),
        row("size(result) > 1", null, List.of(1.0, 2.0), Successful),
        row("result.all(x, x < 0.1)", null, List.of(0.01, 0.2), Failed),
        // expr-lang closures, as Argo Rollouts' documentation and examples write them
        row("all(result, # < 1000)", null, List.of(200.0, 999.0), Successful),
        row("all(result, # < 1000)", null, List.of(200.0, 1500.0), Failed),
        row("all(result, {# < 1000})", null, List.of(200.0, 1500.0), Failed),
        row(null, "any(result, # > 0.05)", List.of(0.01, 0.2), Failed),
        row(null, "any(result, # > 0.05)", List.of(0.01, 0.02), Successful),
        row("none(result, isNaN(#))", null, List.of(0.01, Double.NaN), Failed),
        row("one(result, # > 1)", null, List.of(0.5, 2.0), Successful),
        row("len(filter(result, # > 0.05)) == 0", null, List.of(0.01, 0.2), Failed),
        row("count(result, # > 0.05) <= 1", null, List.of(0.01, 0.2), Successful),
        row("all(map(result, # * 100), # < 5)", null, List.of(0.01, 0.02), Successful),
        // expr mixes integers and floats in arithmetic
        row("result[0] * 100 >= 95", null, List.of(0.97), Successful),
        row("100 * result[0] >= 95", null, List.of(0.9), Failed),
        row("result[0] / 2 < 0.5", null, List.of(0.5), Successful),
        row("result[0] - 1 + 1 == result[0]", null, List.of(0.25), Successful),
        row("len(result) - 1 == 1", null, List.of(0.1, 0.2), Successful),
        row("result[0] + result[1] > 1", null, List.of(1L, 0.5), Successful),
        row("all(result, all(#, # > 0))", null, List.of(List.of(1.0, 2.0), List.of(3.0)), Successful),
        row("all(result, # != '#')", null, List.of("a", "b"), Successful),
        // web JSON
        row("result.ok == true && result.rate >= 0.95", null, json, Successful),
        row("result.count > 10", null, json, Successful),
        row("result.status == 'healthy'", null, json, Successful),
        row("isNil(result.missing)", null, json, Successful),
        row("result == 'true'", null, "true", Successful),
        row("result == true", null, true, Successful));
  }

  private static Arguments row(String success, String failure, Object result, AnalysisPhase expected) {
    return Arguments.of(success, failure, result, expected);
  }

  @ParameterizedTest(name = "[{index}] success={0} failure={1} result={2} -> {3}")
  @MethodSource("table")
  void decidesLikeArgoRollouts(String success, String failure, Object result, AnalysisPhase expected) {
    ConditionOutcome outcome = evaluator.compile(success, failure).assess(CelValues.of(result), String.valueOf(result));
    assertThat(outcome.phase()).as(outcome.message()).isEqualTo(expected);
  }

  @Test
  void aFailedMeasurementSaysWhichConditionDecidedIt() {
    var conditions = evaluator.compile("result[0] < 0.01", "result[0] > 0.05");
    assertThat(conditions.assess(CelValues.of(List.of(0.2)), "[0.2]").message())
        .isEqualTo("failureCondition \"result[0] > 0.05\" is true for [0.2]");
    assertThat(conditions.assess(CelValues.of(List.of(0.03)), "[0.03]").message())
        .isEqualTo("neither successCondition \"result[0] < 0.01\" nor failureCondition \"result[0] > 0.05\" is true for [0.03]");
    assertThat(evaluator.compile("result >= 0.95", null).assess(0.5, "0.5").message())
        .isEqualTo("successCondition \"result >= 0.95\" is false for 0.5");
  }

  @Test
  void anEmptyResultIsAnErrorWithTheReasonNotAnException() {
    ConditionOutcome outcome = evaluator.compile("result[0] >= 0.95", null).assess(CelValues.of(List.of()), "[]");
    assertThat(outcome.phase()).isEqualTo(Error);
    assertThat(outcome.message()).startsWith("successCondition \"result[0] >= 0.95\" cannot be evaluated on []: ")
        .containsIgnoringCase("index out of bounds");
  }

  @Test
  void aConditionThatIsNotTrueOrFalseIsAnError() {
    ConditionOutcome outcome = evaluator.compile("result", null).assess(0.5, "0.5");
    assertThat(outcome.phase()).isEqualTo(Error);
    assertThat(outcome.message()).isEqualTo("successCondition \"result\" gave 0.5 for 0.5, not true or false");
  }

  @Test
  void aHelperThatCannotConvertSaysWhy() {
    ConditionOutcome outcome = evaluator.compile("asInt(result) > 1", null).assess("abc", "abc");
    assertThat(outcome.phase()).isEqualTo(Error);
    assertThat(outcome.message()).endsWith("asInt: \"abc\" is not an integer");
  }

  @Test
  void aConditionThatDoesNotCompileIsNamedWithItsText() {
    assertThatThrownBy(() -> evaluator.compile("result >", null))
        .isInstanceOf(AnalysisSpecException.class)
        .hasMessageStartingWith("successCondition \"result >\" does not compile: at 1:")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> evaluator.compile("result < 1", "results[0] > 1"))
        .isInstanceOf(AnalysisSpecException.class)
        .hasMessageContaining("failureCondition \"results[0] > 1\" does not compile")
        .hasMessageContaining("undeclared reference to 'results'");
  }

  @Test
  void compiledConditionsAreSharedAcrossCalls() {
    // the cache must not mix up conditions: each text keeps its own program
    for (int i = 0; i < 3; i++) {
      assertThat(evaluator.compile("result > 1", null).assess(2L, "2").phase()).isEqualTo(Successful);
      assertThat(evaluator.compile("result < 1", null).assess(2L, "2").phase()).isEqualTo(Failed);
    }
  }

  @Test
  void wordOperatorsAreOnlyRewrittenOutsideStringsAndFieldNames() {
    assertThat(ArgoOperators.toCel("a and b or not c")).isEqualTo("a && b || ! c");
    assertThat(ArgoOperators.toCel("result.and == \"x or y\" and result.not")).isEqualTo("result.and == \"x or y\" && result.not");
    assertThat(ArgoOperators.toCel("android == 'it\\'s and'")).isEqualTo("android == 'it\\'s and'");
    assertThat(Arrays.asList(ArgoOperators.toCel("result[0] >= 0.95"))).containsExactly("result[0] >= 0.95");
    assertThat(ArgoOperators.toCel("all(result, # < 1000) and result.all > 0"))
        .isEqualTo("(result).all(item, item < 1000) && result.all > 0");
    assertThat(ArgoOperators.toCel("all(result, any(#, # == 'all(x, #)'))"))
        .isEqualTo("(result).all(item, (item).exists(item1, item1 == 'all(x, #)'))");
  }

  /** A short condition whose nested comprehensions take a million steps: seconds of a shared thread, unless stopped. */
  @Test
  void nestedComprehensionsAreStoppedByTheIterationBudget() {
    List<Long> hundred = java.util.stream.LongStream.range(0, 100).boxed().toList();
    String hostile = "result.all(a, result.all(b, result.all(c, a + b + c >= 0)))";

    ConditionOutcome outcome = evaluator.compile(hostile, null).assess(hundred, "[0,1,...]");

    assertThat(outcome).isEqualTo(new ConditionOutcome(Error, "successCondition \"" + hostile + "\" cannot be evaluated on [0,1,...]: "
        + "it needs more than 10000 iterations, the most a condition may take"));
  }

  /** Few iterations, each a linear search of a big list: stopped by the time budget too. */
  @Test
  void aConditionSearchingABigListOverAndOverIsStopped() {
    List<Long> big = java.util.stream.LongStream.range(0, 60_000).boxed().toList();
    String hostile = "result.all(x, (x + 1000000) in result || x in result)";

    ConditionOutcome outcome = evaluator.compile(hostile, null).assess(big, "[0,1,...]");

    assertThat(outcome).isEqualTo(new ConditionOutcome(Error, "successCondition \"" + hostile + "\" cannot be evaluated on [0,1,...]: "
        + "it runs longer than 2000 ms, the most a condition may take"));
  }

  @Test
  void oneComprehensionOverMoreThanTheIterationBudgetIsStopped() {
    List<Long> big = java.util.stream.LongStream.range(0, ConditionEvaluator.MAX_ITERATIONS + 1).boxed().toList();

    ConditionOutcome outcome = evaluator.compile("result.all(x, x >= 0)", null).assess(big, "[0,1,...]");

    assertThat(outcome).isEqualTo(new ConditionOutcome(Error, "successCondition \"result.all(x, x >= 0)\" cannot be evaluated on [0,1,...]: "
        + "it needs more than 10000 iterations, the most a condition may take"));
  }
}
