package dev.sluice.analysis.provider;

import dev.sluice.analysis.AnalysisLabels;
import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** The Job a job metric runs for one measurement: {@code <run>-<metric>-<n>}, owned by the AnalysisRun. */
public final class AnalysisJobs {
  private static final int MAX_NAME = 63;

  private AnalysisJobs() {}

  /**
   * A DNS label of at most 63 characters, the same for the same run, metric and number, so a
   * restarted controller finds the Job it created before instead of creating a second one.
   */
  public static String name(String run, String metric, int number) {
    String full = sanitize(run + "-" + metric) + "-" + number;
    if (full.length() <= MAX_NAME) {
      return full;
    }
    String hash = hash(run + "/" + metric).substring(0, 8);
    String suffix = "-" + hash + "-" + number;
    String prefix = sanitize(run + "-" + metric).substring(0, MAX_NAME - suffix.length()).replaceAll("-+$", "");
    return prefix + suffix;
  }

  /** A label value naming the run: the name itself when it fits, else a stable short form. */
  public static String runLabel(String run) {
    return run.length() <= MAX_NAME ? run : run.substring(0, 50).replaceAll("[^A-Za-z0-9]+$", "") + "-" + hash(run).substring(0, 8);
  }

  /** Whether {@code job} is this run's: its controller owner reference is the run (by uid). */
  public static boolean ownedBy(Job job, RunReference run) {
    var owners = job.getMetadata() == null ? null : job.getMetadata().getOwnerReferences();
    return owners != null && owners.stream()
        .anyMatch(o -> Boolean.TRUE.equals(o.getController()) && run.uid() != null && run.uid().equals(o.getUid()));
  }

  public static Job newJob(RunReference run, Metric metric, int number) {
    MetricProvider.Job spec = metric.provider().job();
    ObjectMeta given = spec.metadata() == null ? new ObjectMeta() : spec.metadata();
    ObjectMeta meta = new ObjectMetaBuilder()
        .withName(name(run.name(), metric.name(), number))
        .withNamespace(run.namespace())
        .withLabels(given.getLabels())
        .addToLabels(AnalysisLabels.ANALYSIS_RUN, runLabel(run.name()))
        .withAnnotations(given.getAnnotations())
        .addToAnnotations(AnalysisLabels.METRIC, metric.name())
        .addToAnnotations(AnalysisLabels.MEASUREMENT, Integer.toString(number))
        .withOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion(run.apiVersion()).withKind(run.kind()).withName(run.name()).withUid(run.uid())
            .withController(true).withBlockOwnerDeletion(true).build())
        .build();
    return new JobBuilder().withMetadata(meta).withSpec(spec.spec()).build();
  }

  private static String sanitize(String s) {
    String lower = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-{2,}", "-");
    return lower.replaceAll("^-+", "");
  }

  private static String hash(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
