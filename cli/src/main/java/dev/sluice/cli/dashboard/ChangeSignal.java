package dev.sluice.cli.dashboard;

/**
 * A counter of cluster changes that live streams wait on: informers bump it, each stream renders
 * again when it moved. Several changes while a stream renders become one more render.
 */
final class ChangeSignal {
  static final long CLOSED = -1;

  private long version;
  private boolean closed;

  synchronized void changed() {
    version++;
    notifyAll();
  }

  synchronized long version() {
    return closed ? CLOSED : version;
  }

  /** Waits until the version is past {@code seen} or {@code timeoutMillis} passed; {@link #CLOSED} once closed. */
  synchronized long awaitAfter(long seen, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (!closed && version == seen) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) break;
      wait(left);
    }
    return closed ? CLOSED : version;
  }

  synchronized void close() {
    closed = true;
    notifyAll();
  }
}
