package dev.sluice.analysis.condition;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import java.util.Collection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.stream.Stream;

/**
 * The helpers Argo Rollouts offers in conditions, for CEL: {@code isNaN}, {@code isInf},
 * {@code isNil}, {@code default}, {@code asInt}, {@code asFloat}, and {@code len} (expr-lang's name
 * for CEL's {@code size}). Each takes any value, so they work on a number, a list element or a
 * JSON field alike.
 */
final class ConditionHelpers {
  private ConditionHelpers() {}

  /** An arithmetic operator of CEL, its overload name's stem, and what it computes. */
  private record MixedArithmetic(String function, String stem, DoubleBinaryOperator op) {}

  /**
   * expr mixes integers and floats in arithmetic ({@code result[0] * 100} on a float), CEL does not:
   * these overloads of {@code + - * /} take one of each and compute in double.
   */
  private static final List<MixedArithmetic> MIXED_ARITHMETIC = List.of(
      new MixedArithmetic("_+_", "add", Double::sum),
      new MixedArithmetic("_-_", "subtract", (a, b) -> a - b),
      new MixedArithmetic("_*_", "multiply", (a, b) -> a * b),
      new MixedArithmetic("_/_", "divide", (a, b) -> a / b));

  static List<CelFunctionDecl> declarations() {
    List<CelFunctionDecl> mixed = MIXED_ARITHMETIC.stream().map(m -> CelFunctionDecl.newFunctionDeclaration(m.function(),
        CelOverloadDecl.newGlobalOverload(m.stem() + "_double_int64", SimpleType.DOUBLE, SimpleType.DOUBLE, SimpleType.INT),
        CelOverloadDecl.newGlobalOverload(m.stem() + "_int64_double", SimpleType.DOUBLE, SimpleType.INT, SimpleType.DOUBLE)))
        .toList();
    return Stream.concat(mixed.stream(), helpers().stream()).toList();
  }

  private static List<CelFunctionDecl> helpers() {
    return List.of(
        unary("isNaN", SimpleType.BOOL),
        unary("isInf", SimpleType.BOOL),
        unary("isNil", SimpleType.BOOL),
        unary("asInt", SimpleType.INT),
        unary("asFloat", SimpleType.DOUBLE),
        unary("len", SimpleType.INT),
        CelFunctionDecl.newFunctionDeclaration("default",
            CelOverloadDecl.newGlobalOverload("default_dyn_dyn", SimpleType.DYN, SimpleType.DYN, SimpleType.DYN)));
  }

  static List<CelFunctionBinding> bindings() {
    List<CelFunctionBinding> mixed = new ArrayList<>();
    for (MixedArithmetic m : MIXED_ARITHMETIC) {
      mixed.add(CelFunctionBinding.from(m.stem() + "_double_int64", Double.class, Long.class, (a, b) -> m.op().applyAsDouble(a, b)));
      mixed.add(CelFunctionBinding.from(m.stem() + "_int64_double", Long.class, Double.class, (a, b) -> m.op().applyAsDouble(a, b)));
    }
    return Stream.concat(mixed.stream(), helperBindings().stream()).toList();
  }

  private static List<CelFunctionBinding> helperBindings() {
    return List.of(
        CelFunctionBinding.from("isNaN_dyn", Object.class, v -> v instanceof Double && ((Double) v).isNaN()),
        CelFunctionBinding.from("isInf_dyn", Object.class, v -> v instanceof Double && ((Double) v).isInfinite()),
        CelFunctionBinding.from("isNil_dyn", Object.class, CelValues::isNull),
        CelFunctionBinding.from("asInt_dyn", Object.class, ConditionHelpers::asInt),
        CelFunctionBinding.from("asFloat_dyn", Object.class, ConditionHelpers::asFloat),
        CelFunctionBinding.from("len_dyn", Object.class, ConditionHelpers::length),
        CelFunctionBinding.from("default_dyn_dyn", Object.class, Object.class,
            (value, fallback) -> CelValues.isNull(value) ? fallback : value));
  }

  private static CelFunctionDecl unary(String name, CelType result) {
    return CelFunctionDecl.newFunctionDeclaration(name,
        CelOverloadDecl.newGlobalOverload(name + "_dyn", result, SimpleType.DYN));
  }

  private static Long asInt(Object value) {
    if (value instanceof Long) {
      return (Long) value;
    }
    if (value instanceof Double) {
      return ((Double) value).longValue();
    }
    if (value instanceof String) {
      try {
        return Long.parseLong(((String) value).strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("asInt: \"" + value + "\" is not an integer");
      }
    }
    throw new IllegalArgumentException("asInt: cannot convert " + describe(value) + " to an integer");
  }

  private static Double asFloat(Object value) {
    if (value instanceof Long || value instanceof Double) {
      return ((Number) value).doubleValue();
    }
    if (value instanceof String) {
      try {
        return Double.parseDouble(((String) value).strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("asFloat: \"" + value + "\" is not a number");
      }
    }
    throw new IllegalArgumentException("asFloat: cannot convert " + describe(value) + " to a number");
  }

  private static Long length(Object value) {
    if (value instanceof Collection) {
      return (long) ((Collection<?>) value).size();
    }
    if (value instanceof Map) {
      return (long) ((Map<?, ?>) value).size();
    }
    if (value instanceof String) {
      return (long) ((String) value).codePointCount(0, ((String) value).length());
    }
    throw new IllegalArgumentException("len: " + describe(value) + " has no length");
  }

  private static String describe(Object value) {
    return CelValues.isNull(value) ? "null" : value.getClass().getSimpleName() + " " + value;
  }
}
