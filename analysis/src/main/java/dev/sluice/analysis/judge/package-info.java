/**
 * Judging a canary against its baseline (the stable version, measured at the same moments), the
 * statistics behind the {@code judge} metric provider. Pure: samples in, a {@link
 * dev.sluice.analysis.judge.Judgement} out; fetching the samples is the provider's business.
 *
 * <p>Two methods. {@link dev.sluice.analysis.judge.MannWhitneyJudge} is Kayenta's: one rank test
 * at the end of a fixed horizon. {@link dev.sluice.analysis.judge.SequentialJudge} is anytime-valid:
 * it may look after every measurement, stops a clearly worse canary as soon as the evidence is
 * there, and still fails an equal canary with probability at most alpha over the whole run.
 */
package dev.sluice.analysis.judge;
