package dev.sluice.analysis.judge;

/** Which change of the metric is bad for users. */
public enum Direction {
  /** a higher value is worse (error rate, latency) */
  INCREASE,
  /** a lower value is worse (success rate, throughput) */
  DECREASE,
  /** any change is bad */
  EITHER;

  /** The field's spelling in a metric ({@code increase}, ...); null means {@link #INCREASE}. */
  public static Direction parse(String value) {
    if (value == null) {
      return INCREASE;
    }
    for (Direction d : values()) {
      if (d.name().equalsIgnoreCase(value)) {
        return d;
      }
    }
    throw new IllegalArgumentException("direction must be increase, decrease or either, not \"" + value + "\"");
  }
}
