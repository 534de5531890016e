package dev.sluice.analysis.run;

/** A transition worth a Kubernetes Event and a log line. */
public record RunEvent(Type type, String reason, String message) {
  public enum Type { Normal, Warning }
}
