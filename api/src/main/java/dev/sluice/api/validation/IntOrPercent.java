package dev.sluice.api.validation;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** maxSurge / maxUnavailable values: an absolute count or a whole percent of spec.replicas. */
public final class IntOrPercent {
  private static final Pattern PERCENT = Pattern.compile("(\\d{1,9})%");

  private IntOrPercent() {}

  /** Why {@code value} is not a usable count or percent, or empty when it is. */
  public static Optional<String> problem(IntOrString value) {
    if (value.getIntVal() != null) {
      return value.getIntVal() < 0
          ? Optional.of("must not be negative, got " + value.getIntVal())
          : Optional.empty();
    }
    if (value.getStrVal() != null && PERCENT.matcher(value.getStrVal()).matches()) {
      return Optional.empty();
    }
    return Optional.of("must be an integer or a percentage like \"25%\", got \""
        + (value.getStrVal() == null ? "" : value.getStrVal()) + "\"");
  }

  public static boolean isZero(IntOrString value) {
    return value != null && problem(value).isEmpty() && resolve(value, 100, true) == 0;
  }

  public static boolean isPercentAbove100(IntOrString value) {
    return value != null && value.getStrVal() != null && problem(value).isEmpty() && percent(value) > 100;
  }

  /** Absolute count for {@code total} replicas; percentages are rounded up or down as asked. */
  public static int resolve(IntOrString value, int total, boolean roundUp) {
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    long scaled = (long) total * percent(value);
    return (int) (roundUp ? (scaled + 99) / 100 : scaled / 100);
  }

  private static int percent(IntOrString value) {
    Matcher m = PERCENT.matcher(value.getStrVal());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a percentage: " + value.getStrVal());
    }
    return Integer.parseInt(m.group(1));
  }
}
