package io.docstream.topology.internal;

import io.docstream.serdes.Delta;
import io.docstream.serdes.Rejection;

/** What applying one message produced: a delta (serialized) or a rejection. */
sealed interface Outcome permits Outcome.Applied, Outcome.Rejected {
  record Applied(Delta delta, byte[] serialized, long storedBytes) implements Outcome {}

  record Rejected(Rejection rejection) implements Outcome {}
}
