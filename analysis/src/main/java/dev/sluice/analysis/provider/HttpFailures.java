package dev.sluice.analysis.provider;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

/** Words for what went wrong on the wire. */
final class HttpFailures {
  private HttpFailures() {}

  /** @param where e.g. "Prometheus at http://127.0.0.1:9090" */
  static String describe(String where, IOException e, Duration timeout) {
    if (e instanceof ProviderAddressPolicy.AddressRefused) {
      return where + " refused: " + e.getMessage();
    }
    if (e instanceof ResponseBodies.TooLarge) {
      return where + ": " + e.getMessage() + ", not read";
    }
    if (e instanceof InterruptedIOException && !connecting(e)) {
      return where + " did not answer within " + seconds(timeout);
    }
    if (e instanceof UnknownHostException) {
      return where + " unreachable: unknown host " + e.getMessage();
    }
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !detail.contains(cause.getMessage())) {
      detail = detail + ": " + cause.getMessage();
    }
    return where + " unreachable: " + detail;
  }

  private static boolean connecting(IOException e) {
    return e instanceof SocketTimeoutException && e.getMessage() != null && e.getMessage().toLowerCase().contains("connect");
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
