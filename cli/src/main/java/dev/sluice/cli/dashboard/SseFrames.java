package dev.sluice.cli.dashboard;

/**
 * Server-Sent Events framing (WHATWG HTML, "server-sent events"): an event is "event:" and
 * "data:" lines ended by a blank line. A data line break would end the field early, so every
 * line of the payload gets its own "data:" (the browser joins them back with newlines).
 */
public final class SseFrames {
  private SseFrames() {}

  public static String event(String name, String data) {
    if (name.contains("\n") || name.contains("\r")) {
      throw new IllegalArgumentException("an event name is one line");
    }
    StringBuilder frame = new StringBuilder("event: ").append(name).append('\n');
    for (String line : data.split("\r\n|\r|\n", -1)) {
      frame.append("data: ").append(line).append('\n');
    }
    return frame.append('\n').toString();
  }

  /** A comment line: keeps the connection open through idle proxies and shows when the browser left. */
  public static String keepAlive() {
    return ": keep-alive\n\n";
  }

  /** How long the browser waits before it reconnects after the stream broke. */
  public static String retry(long millis) {
    return "retry: " + millis + "\n\n";
  }
}
