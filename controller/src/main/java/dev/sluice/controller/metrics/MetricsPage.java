package dev.sluice.controller.metrics;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A whole {@code /metrics} page in text format 0.0.4, as UTF-8: the registry's meters, then the
 * rollout and analysis gauges (the format lets metrics come in any order, each one's lines together).
 * The arrays are not to be changed: the gauges' is shared by every scrape until they change.
 */
public record MetricsPage(byte[] meters, byte[] gauges) {
  public int length() {
    return meters.length + gauges.length;
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(meters);
    out.write(gauges);
  }
}
