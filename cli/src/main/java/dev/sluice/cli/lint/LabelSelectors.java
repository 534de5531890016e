package dev.sluice.cli.lint;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/** Kubernetes label-selector semantics, for checking that a selector matches its template. */
final class LabelSelectors {
  private LabelSelectors() {}

  static boolean isEmpty(LabelSelector selector) {
    return (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
        && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
  }

  static List<LabelSelectorRequirement> expressions(LabelSelector selector) {
    return selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
  }

  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> actual = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(actual.get(e.getKey()))) return false;
      }
    }
    for (LabelSelectorRequirement r : expressions(selector)) {
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      String value = actual.get(r.getKey());
      boolean ok;
      switch (String.valueOf(r.getOperator())) {
        case "In": ok = value != null && values.contains(value); break;
        case "NotIn": ok = value == null || !values.contains(value); break;
        case "Exists": ok = actual.containsKey(r.getKey()); break;
        case "DoesNotExist": ok = !actual.containsKey(r.getKey()); break;
        default: ok = false;
      }
      if (!ok) return false;
    }
    return true;
  }
}
