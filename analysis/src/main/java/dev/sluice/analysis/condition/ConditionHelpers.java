package dev.sluice.analysis.condition;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The helpers Argo Rollouts offers in conditions, for CEL: {@code isNaN}, {@code isInf},
 * {@code isNil}, {@code default}, {@code asInt}, {@code asFloat}, and {@code len} (expr-lang's name
 * for CEL's {@code size}). Each takes any value, so they work on a number, a list element or a
 * JSON field alike.
 */
final class ConditionHelpers {
  private ConditionHelpers() {}

  static List<CelFunctionDecl> declarations() {
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
