package dev.sluice.analysis.run;

import java.time.Duration;

/** Test builder for {@link MetricSettings}, starting from Argo's defaults for a single measurement. */
final class Settings {
  private final String name;
  private Duration interval;
  private Duration initialDelay = Duration.ZERO;
  private Integer count = 1;
  private int failureLimit;
  private int inconclusiveLimit;
  private int consecutiveErrorLimit = MetricSettings.DEFAULT_CONSECUTIVE_ERROR_LIMIT;
  private Integer consecutiveSuccessLimit;
  private boolean dryRun;
  private int retention = MetricSettings.DEFAULT_RETENTION;
  private boolean judge;

  private Settings(String name) {
    this.name = name;
  }

  static Settings metric(String name) {
    return new Settings(name);
  }

  Settings every(Duration interval, Integer count) {
    this.interval = interval;
    this.count = count;
    return this;
  }

  Settings initialDelay(Duration d) {
    initialDelay = d;
    return this;
  }

  Settings failureLimit(int n) {
    failureLimit = n;
    return this;
  }

  Settings inconclusiveLimit(int n) {
    inconclusiveLimit = n;
    return this;
  }

  Settings consecutiveErrorLimit(int n) {
    consecutiveErrorLimit = n;
    return this;
  }

  Settings consecutiveSuccessLimit(int n) {
    consecutiveSuccessLimit = n;
    return this;
  }

  Settings dryRun() {
    dryRun = true;
    return this;
  }

  Settings judge() {
    judge = true;
    return this;
  }

  Settings retention(int n) {
    retention = n;
    return this;
  }

  MetricSettings build() {
    return new MetricSettings(name, interval, initialDelay, count, failureLimit, inconclusiveLimit, consecutiveErrorLimit,
        consecutiveSuccessLimit, dryRun, retention, judge);
  }
}
