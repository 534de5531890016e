package dev.sluice.analysis.judge;

import java.util.Locale;

/** Judges a canary's samples against the baseline's. */
public sealed interface Judge permits SequentialJudge, MannWhitneyJudge {

  /**
   * @param last whether this is the run's last measurement (the horizon): a judge that has not
   *     failed the canary by then passes it, or calls it inconclusive when samples are too few
   */
  Judgement judge(Series canary, Series baseline, JudgeSettings settings, boolean last);

  /** The judge a metric's {@code method} names: {@code sequential} (the default) or {@code mann-whitney}. */
  static Judge forMethod(String method) {
    if (method == null || method.equalsIgnoreCase("sequential")) {
      return new SequentialJudge();
    }
    if (method.toLowerCase(Locale.ROOT).replace("_", "-").equals("mann-whitney")) {
      return new MannWhitneyJudge();
    }
    throw new IllegalArgumentException("method must be sequential or mann-whitney, not \"" + method + "\"");
  }
}
