package dev.sluice.api.validation;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Matching and printing label selectors the way the API server does. */
public final class LabelSelectors {
  private LabelSelectors() {}

  public static boolean isEmpty(LabelSelector selector) {
    return selector == null
        || ((selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
            && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty()));
  }

  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (var e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(l.get(e.getKey()))) {
          return false;
        }
      }
    }
    for (LabelSelectorRequirement r : expressions(selector)) {
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      boolean ok = switch (String.valueOf(r.getOperator())) {
        case "In" -> l.containsKey(r.getKey()) && values.contains(l.get(r.getKey()));
        case "NotIn" -> !l.containsKey(r.getKey()) || !values.contains(l.get(r.getKey()));
        case "Exists" -> l.containsKey(r.getKey());
        case "DoesNotExist" -> !l.containsKey(r.getKey());
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The selector string of the scale subresource, requirements sorted by key: {@code app=web,tier=front}. */
  public static String format(LabelSelector selector) {
    if (selector == null) {
      return null;
    }
    TreeMap<String, List<String>> byKey = new TreeMap<>();
    if (selector.getMatchLabels() != null) {
      new TreeMap<>(selector.getMatchLabels())
          .forEach((k, v) -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(k + "=" + v));
    }
    for (LabelSelectorRequirement r : expressions(selector)) {
      List<String> values = r.getValues() == null ? List.of() : r.getValues().stream().sorted().toList();
      String text = switch (String.valueOf(r.getOperator())) {
        case "In" -> r.getKey() + " in (" + String.join(",", values) + ")";
        case "NotIn" -> r.getKey() + " notin (" + String.join(",", values) + ")";
        case "Exists" -> r.getKey();
        case "DoesNotExist" -> "!" + r.getKey();
        default -> r.getKey() + " " + r.getOperator();
      };
      byKey.computeIfAbsent(r.getKey(), x -> new ArrayList<>()).add(text);
    }
    return String.join(",", byKey.values().stream().flatMap(List::stream).toList());
  }

  public static List<LabelSelectorRequirement> expressions(LabelSelector selector) {
    return selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
  }
}
