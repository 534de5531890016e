package dev.sluice.analysis.condition;

import dev.cel.common.values.NullValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what a provider measured (numbers, lists, JSON maps, strings) into values CEL works with:
 * whole numbers become {@code int} (Long), other numbers {@code double}, null becomes CEL's null.
 */
public final class CelValues {
  private CelValues() {}

  public static Object of(Object value) {
    if (value == null) {
      return NullValue.NULL_VALUE;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger) {
      BigInteger big = (BigInteger) value;
      return big.bitLength() < 64 ? (Object) big.longValue() : (Object) big.doubleValue();
    }
    if (value instanceof BigDecimal || value instanceof Float || value instanceof Double) {
      return ((Number) value).doubleValue();
    }
    if (value instanceof String || value instanceof Boolean || value instanceof NullValue) {
      return value;
    }
    if (value instanceof List) {
      List<Object> list = new ArrayList<>();
      for (Object item : (List<?>) value) {
        list.add(of(item));
      }
      return list;
    }
    if (value instanceof Map) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        map.put(String.valueOf(e.getKey()), of(e.getValue()));
      }
      return map;
    }
    return value.toString();
  }

  static boolean isNull(Object value) {
    return value == null || value instanceof NullValue || value instanceof com.google.protobuf.NullValue;
  }
}
