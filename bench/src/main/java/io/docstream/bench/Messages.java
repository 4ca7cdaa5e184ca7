package io.docstream.bench;

import org.apache.kafka.clients.producer.ProducerRecord;

/** A stream of command records for {@link LoadGenerator}. */
interface Messages {
  /** The next record, timestamped {@code dueMillis}: the time it was due to be sent. */
  ProducerRecord<String, byte[]> next(long dueMillis);
}
