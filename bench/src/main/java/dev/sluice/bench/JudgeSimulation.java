package dev.sluice.bench;

import dev.sluice.analysis.judge.Direction;
import dev.sluice.analysis.judge.Judge;
import dev.sluice.analysis.judge.JudgeSettings;
import dev.sluice.analysis.judge.MannWhitneyJudge;
import dev.sluice.analysis.judge.SequentialJudge;
import dev.sluice.analysis.judge.Series;
import dev.sluice.analysis.judge.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * bench/judge: draws simulated canary runs and reports, per judge method and scenario, how often
 * an equal canary is failed (false aborts, with a 95% Wilson interval), how often a worse one is
 * failed (power), and after how many samples per side. Run by hand; no cluster.
 *
 * <p>A run has {@code horizon} samples per side (one per scrape step) and a measurement every
 * {@code perLook} samples; the judge sees all samples so far at each measurement, as the provider
 * does with its range queries.
 */
public final class JudgeSimulation {

  /** How one side's samples are drawn. */
  interface Source {
    double[] draw(SplittableRandom r, int n, double[] commonLoad);
  }

  /** @param load lag-1 autocorrelation of traffic swings both sides share, or null for none */
  record Scenario(String name, Source canary, Source baseline, boolean equal, Double load) {
    Scenario(String name, Source canary, Source baseline, boolean equal, boolean commonLoad) {
      this(name, canary, baseline, equal, commonLoad ? Double.valueOf(0) : null);
    }
  }

  record Outcome(int runs, int failed, double[] samplesToFail) {}

  public static void main(String[] args) {
    int aaRuns = intArg(args, "--aa-runs", 10_000);
    int abRuns = intArg(args, "--ab-runs", 2_000);
    int horizon = intArg(args, "--horizon", 60);
    int perLook = intArg(args, "--per-look", 6);
    double alpha = 0.01;
    long seed = intArg(args, "--seed", 1);
    double mixing = Double.parseDouble(stringArg(args, "--mixing", String.valueOf(SequentialJudge.DEFAULT_MIXING)));
    JudgeSettings settings = JudgeSettings.of(Direction.INCREASE, 0, alpha);

    List<Scenario> scenarios = List.of(
        new Scenario("errors 1% vs 1%", errors(0.01, 500), errors(0.01, 500), true, false),
        new Scenario("errors 1% vs 1.5%", errors(0.015, 500), errors(0.01, 500), false, false),
        new Scenario("errors 1% vs 2%", errors(0.02, 500), errors(0.01, 500), false, false),
        new Scenario("latency +0%", latency(1.00, 0.10, 0), latency(1, 0.10, 0), true, false),
        new Scenario("latency +10%", latency(1.10, 0.10, 0), latency(1, 0.10, 0), false, false),
        new Scenario("latency +25%", latency(1.25, 0.10, 0), latency(1, 0.10, 0), false, false),
        new Scenario("noisy errors 1% vs 1% (shared load swings)", errors(0.01, 500), errors(0.01, 500), true, true),
        new Scenario("noisy errors 1% vs 2% (shared load swings)", errors(0.02, 500), errors(0.01, 500), false, true),
        new Scenario("errors 1% vs 1%, slow shared load swings (AR(1) 0.9)", errors(0.01, 500), errors(0.01, 500), true, 0.9),
        new Scenario("errors 1% vs 2%, slow shared load swings (AR(1) 0.9)", errors(0.02, 500), errors(0.01, 500), false, 0.9),
        new Scenario("autocorrelated latency +0% (AR(1) 0.6)", latency(1.00, 0.10, 0.6), latency(1, 0.10, 0.6), true, false),
        new Scenario("autocorrelated latency +10% (AR(1) 0.6)", latency(1.10, 0.10, 0.6), latency(1, 0.10, 0.6), false, false),
        new Scenario("autocorrelated latency +25% (AR(1) 0.6)", latency(1.25, 0.10, 0.6), latency(1, 0.10, 0.6), false, false),
        new Scenario("autocorrelated latency +0% (AR(1) 0.8)", latency(1.00, 0.10, 0.8), latency(1, 0.10, 0.8), true, false),
        new Scenario("rate over 6 steps, errors 1% vs 1%", windowed(0.01, 100, 6), windowed(0.01, 100, 6), true, false),
        new Scenario("rate over 6 steps, errors 1% vs 2%", windowed(0.02, 100, 6), windowed(0.01, 100, 6), false, false));

    System.out.printf(Locale.ROOT, "judge simulation: alpha %.2f, direction increase, tolerance 0, horizon %d samples"
        + " per side, a measurement every %d samples (%d looks); A/A runs %d, A/B runs %d, seed %d;"
        + " sequential mixing variance %s%n%n", alpha, horizon, perLook, horizon / perLook, aaRuns, abRuns, seed, mixing);
    System.out.printf(Locale.ROOT, "| %-54s | %-12s | %-28s | %-7s | %-22s |%n", "scenario", "method",
        "false aborts (95% CI)", "power", "samples to fail p50/p90");
    System.out.println("|" + "-".repeat(56) + "|" + "-".repeat(14) + "|" + "-".repeat(30) + "|" + "-".repeat(9) + "|"
        + "-".repeat(24) + "|");
    String only = stringArg(args, "--only", "");
    for (Scenario s : scenarios) {
      if (!s.name().contains(only)) {
        continue;
      }
      for (Judge judge : new Judge[] {new SequentialJudge(mixing), new MannWhitneyJudge()}) {
        int runs = s.equal() ? aaRuns : abRuns;
        Outcome o = simulate(s, judge, settings, runs, horizon, perLook, new SplittableRandom(seed));
        String method = judge instanceof SequentialJudge ? "sequential" : "mann-whitney";
        double rate = (double) o.failed() / o.runs();
        double[] ci = wilson(o.failed(), o.runs());
        String falseAborts = s.equal() ? String.format(Locale.ROOT, "%.4f (%.4f-%.4f)", rate, ci[0], ci[1]) : "-";
        String power = s.equal() ? "-" : String.format(Locale.ROOT, "%.3f", rate);
        String samples = o.samplesToFail().length == 0 ? "-" : String.format(Locale.ROOT, "%.0f / %.0f",
            quantile(o.samplesToFail(), 0.5), quantile(o.samplesToFail(), 0.9));
        System.out.printf(Locale.ROOT, "| %-54s | %-12s | %-28s | %-7s | %-22s |%n", s.name(), method, falseAborts,
            power, samples);
      }
    }
  }

  static Outcome simulate(Scenario s, Judge judge, JudgeSettings settings, int runs, int horizon, int perLook,
      SplittableRandom r) {
    int failed = 0;
    List<Double> when = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      double[] load = s.load() == null ? null : commonLoad(r, horizon, s.load());
      double[] canary = s.canary().draw(r, horizon, load);
      double[] baseline = s.baseline().draw(r, horizon, load);
      for (int n = perLook; n <= horizon; n += perLook) {
        Verdict v = judge.judge(Series.of(Arrays.copyOf(canary, n)), Series.of(Arrays.copyOf(baseline, n)), settings,
            n + perLook > horizon).verdict();
        if (v == Verdict.FAIL) {
          failed++;
          when.add((double) n);
          break;
        }
      }
    }
    return new Outcome(runs, failed, when.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Error rate of {@code requests} per sample, each failing with probability {@code rate} (times the load swing). */
  static Source errors(double rate, int requests) {
    return (r, n, load) -> {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        double p = Math.min(1, rate * (load == null ? 1 : load[i]));
        int errors = 0;
        for (int q = 0; q < requests; q++) {
          errors += r.nextDouble() < p ? 1 : 0;
        }
        v[i] = (double) errors / requests;
      }
      return v;
    };
  }

  /** A latency quantile around 100 ms × {@code shift}, lognormal with log-sd {@code sd}, AR(1) with {@code rho}. */
  static Source latency(double shift, double sd, double rho) {
    return (r, n, load) -> {
      double[] v = new double[n];
      double e = gaussian(r) * sd;
      for (int i = 0; i < n; i++) {
        e = rho * e + Math.sqrt(1 - rho * rho) * sd * gaussian(r);
        v[i] = 100 * shift * Math.exp(e) * (load == null ? 1 : load[i]);
      }
      return v;
    };
  }

  /** Traffic swings that hit canary and baseline at the same moments (a lognormal factor, log-sd 0.3, AR(1) {@code rho}). */
  static double[] commonLoad(SplittableRandom r, int n, double rho) {
    double[] v = new double[n];
    double e = gaussian(r);
    for (int i = 0; i < n; i++) {
      e = rho * e + Math.sqrt(1 - rho * rho) * gaussian(r);
      v[i] = Math.exp(0.3 * e);
    }
    return v;
  }

  static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    double w = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
  }

  static double[] wilson(int k, int n) {
    double z = 1.959964;
    double p = (double) k / n;
    double denom = 1 + z * z / n;
    double centre = (p + z * z / (2 * n)) / denom;
    double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denom;
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }

  static double quantile(double[] values, double q) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s[(int) Math.min(s.length - 1, Math.floor(q * s.length))];
  }

  /**
   * Error rates as {@code rate(errors[w]) / rate(requests[w])} at a step of 1/w of the window: each
   * sample counts the last {@code window} steps' requests, so consecutive samples share w-1 of them
   * (a moving sum, lag-1 autocorrelation (w-1)/w), as Prometheus range queries over rates do.
   */
  static Source windowed(double rate, int requestsPerStep, int window) {
    return (r, n, load) -> {
      int[] errors = new int[n + window - 1];
      for (int i = 0; i < errors.length; i++) {
        for (int q = 0; q < requestsPerStep; q++) {
          errors[i] += r.nextDouble() < rate ? 1 : 0;
        }
      }
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        int sum = 0;
        for (int k = 0; k < window; k++) {
          sum += errors[i + k];
        }
        v[i] = (double) sum / (requestsPerStep * window);
      }
      return v;
    };
  }

  private static String stringArg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  private static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}
