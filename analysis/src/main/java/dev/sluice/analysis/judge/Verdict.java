package dev.sluice.analysis.judge;

import java.util.Locale;

/** What a judgement says about the canary so far. */
public enum Verdict {
  /** not worse than the baseline beyond the tolerance (given only at the last measurement) */
  PASS,
  /** worse than the baseline beyond the tolerance, with the evidence the method demands */
  FAIL,
  /** no decision yet: look again at the next measurement */
  CONTINUE,
  /** the last measurement came without enough samples to judge: the judge never fails for lack of data */
  INCONCLUSIVE;

  /** As the measurement's value shows it: {@code pass}, {@code fail}, ... */
  public String shown() {
    return name().toLowerCase(Locale.ROOT);
  }
}
