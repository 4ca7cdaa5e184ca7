package io.docstream.broker.internal;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * Builds the error for a broker that did not start, quoting what this start attempt wrote to its
 * log (the log is appended to across restarts).
 */
public final class StartFailure {
  private final BrokerLayout layout;
  private final long logStartByte;

  private StartFailure(BrokerLayout layout, long logStartByte) {
    this.layout = layout;
    this.logStartByte = logStartByte;
  }

  /** Marks the current end of the broker log as the start of this attempt. */
  public static StartFailure markLog(BrokerLayout layout) {
    try {
      long size = Files.exists(layout.brokerLog()) ? Files.size(layout.brokerLog()) : 0;
      return new StartFailure(layout, size);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the size of " + layout.brokerLog(), e);
    }
  }

  /** Whether the broker logged, since the mark, that it could not bind {@code port}. */
  public boolean portTaken(int port) {
    try {
      return LogExcerpt.since(layout.brokerLog(), logStartByte)
          .contains("failed to bind to 127.0.0.1:" + port + ": Address already in use");
    } catch (IOException e) {
      return false; // Unknown, so the caller reports the start failure as it is.
    }
  }

  /** A {@link ErrorCode#BROKER_START_FAILED} error: {@code what} happened, then the log excerpt. */
  public DocstreamException error(String what) {
    return new DocstreamException(
        ErrorCode.BROKER_START_FAILED,
        what + "\n" + LogExcerpt.of(layout.brokerLog(), logStartByte));
  }
}
