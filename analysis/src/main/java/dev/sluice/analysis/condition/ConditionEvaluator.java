package dev.sluice.analysis.condition;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.sluice.analysis.AnalysisSpecException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Compiles metric conditions with CEL. {@code result} may be a number, a list, a string or a map;
 * numbers of either kind compare with each other ({@code result >= 1} works on 0.97), and the
 * Argo Rollouts helpers and word operators are available. Thread-safe; compiled programs are cached.
 */
public final class ConditionEvaluator {
  /** Steps of all comprehensions ({@code all}, {@code exists}, {@code map}...) in one evaluation. */
  public static final int MAX_ITERATIONS = 10_000;
  /** Wall-clock time one evaluation may take: a legitimate condition takes microseconds. */
  public static final Duration MAX_EVALUATION = Duration.ofSeconds(2);
  private static final int CACHE_SIZE = 512;

  private final Cel cel = CelFactory.standardCelBuilder()
      .setOptions(CelOptions.current().enableHeterogeneousNumericComparisons(true)
          .comprehensionMaxIterations(MAX_ITERATIONS).build())
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar("result", SimpleType.DYN)
      .addFunctionDeclarations(ConditionHelpers.declarations())
      .addFunctionBindings(ConditionHelpers.bindings())
      .build();

  private final Map<String, CelRuntime.Program> cache = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, CelRuntime.Program> eldest) {
      return size() > CACHE_SIZE;
    }
  };

  /**
   * @param successCondition null or blank = none
   * @param failureCondition null or blank = none
   * @throws AnalysisSpecException naming the condition and why it does not compile
   */
  public MetricConditions compile(String successCondition, String failureCondition) {
    return new MetricConditions(condition("successCondition", successCondition), condition("failureCondition", failureCondition));
  }

  private MetricConditions.Condition condition(String role, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    return new MetricConditions.Condition(role, text.strip(), program(role, text.strip()));
  }

  private CelRuntime.Program program(String role, String text) {
    synchronized (cache) {
      CelRuntime.Program cached = cache.get(text);
      if (cached != null) {
        return cached;
      }
    }
    CelRuntime.Program program;
    try {
      program = cel.createProgram(cel.compile(ArgoOperators.toCel(text)).getAst());
    } catch (CelValidationException e) {
      throw new AnalysisSpecException("%s \"%s\" does not compile: %s".formatted(role, text, firstLines(e.getMessage())));
    } catch (CelEvaluationException e) {
      throw new AnalysisSpecException("%s \"%s\" cannot be prepared: %s".formatted(role, text, e.getMessage()));
    }
    synchronized (cache) {
      cache.put(text, program);
    }
    return program;
  }

  /** CEL prints each error as "ERROR: <input>:1:9: what" followed by the source and a caret line. */
  private static String firstLines(String message) {
    return Arrays.stream(message.split("\n"))
        .filter(line -> line.startsWith("ERROR: "))
        .map(line -> line.replaceFirst("^ERROR: <input>:", "at "))
        .collect(Collectors.joining("; "));
  }
}
