package io.docstream.topology.internal;

import io.docstream.serdes.Command;
import io.docstream.serdes.CommandCodec;
import io.docstream.serdes.CommandCodec.Sender;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.Echo;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.serdes.Rejection;
import io.docstream.spaces.SpaceRegistry;
import io.docstream.state.DeltaLocation;
import io.docstream.state.DocumentState;
import io.docstream.state.StateLimits;
import io.docstream.state.Timers;
import io.docstream.topology.ProcessorMetrics;
import io.docstream.topology.SkipRecords;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one processor of the topology. Per record: skip it if an operator named its offset, parse
 * strictly, send records that are not on their document's partition (no key, or produced with
 * another partitioner) back through the commands topic under the document key (once: a record that
 * arrives off its partition after a hop is rejected), and apply the rest. No record stops the
 * stream: a malformed one is a coded rejection, and any other failure of decoding or applying one
 * record is a RECORD_FAILED rejection logged with its offset; only failures of Kafka or the stores
 * fail the task. A wall-clock punctuation delivers due timers as messages through the commands
 * topic, in the same transaction that removes them.
 */
public final class DocProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  public static final String DELTAS = "deltas";
  public static final String REJECTIONS = "rejections";
  public static final String REROUTE = "reroute";

  /** Header counting how often a record was re-routed (ASCII decimal). */
  public static final String HOPS_HEADER = "docstream-hops";

  private static final Logger LOG = LoggerFactory.getLogger(DocProcessor.class);
  private static final int TIMERS_PER_PUNCTUATION = 1000;
  private static final int MAX_HOPS = 1;
  private static final int MAX_REJECTION_KEY_BYTES = 1024;

  private final Settings settings;

  /** Reused for every record key: this processor instance runs on one stream thread. */
  private final CharsetDecoder keyDecoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  private ProcessorContext<byte[], byte[]> context;
  private DocumentState state;
  private DocumentApplier applier;

  public record Settings(
      SpaceRegistry spaces,
      StateLimits limits,
      int maxMessageBytes,
      int maxDeltaBytes,
      long timerIntervalMillis,
      DocumentPartitioner partitioner,
      DocumentPartitioner deltaPartitioner,
      SkipRecords skipRecords,
      LogLimiter logLimiter,
      ProcessorMetrics metrics) {}

  public DocProcessor(Settings settings) {
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.state = DocumentState.open(context, settings.limits());
    this.applier = new DocumentApplier(settings.spaces(), state, settings.maxDeltaBytes());
    context.schedule(
        Duration.ofMillis(settings.timerIntervalMillis()),
        PunctuationType.WALL_CLOCK_TIME,
        this::fireDueTimers);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    long started = System.nanoTime();
    RecordMetadata where = context.recordMetadata().orElse(null);
    if (where != null && settings.skipRecords().contains(where.partition(), where.offset())) {
      skip(record, where);
      return;
    }
    Command command = null;
    long ts = record.timestamp();
    try {
      String recordKey = decodeKey(record.key());
      command = CommandCodec.parse(record.value(), settings.maxMessageBytes());
      if (command.ts() != null) {
        ts = command.ts();
      }
      DocKey doc = CommandCodec.target(recordKey, command);
      if (recordKey == null
          || (where != null && !settings.partitioner().owns(where.partition(), record.key()))) {
        reroute(record, doc.toString());
        return;
      }
      byte[] docBytes = record.key(); // the document's name: parsed from it just above
      DeltaLocation delta =
          new DeltaLocation(record.timestamp(), settings.deltaPartitioner().partitionOf(docBytes));
      emit(record, docBytes, apply(doc, command, ts, delta), started);
    } catch (DocstreamException e) {
      reject(record, sender(command, record), e, ts);
    } catch (KafkaException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      failed(record, sender(command, record), e, ts);
    }
  }

  /** A failure thrown out of the applier may leave the cached tree changed: forget it. */
  private Outcome apply(DocKey doc, Command command, long ts, DeltaLocation delta) {
    try {
      return applier.apply(doc, command, ts, delta);
    } catch (RuntimeException | StackOverflowError e) {
      state.cache().invalidate(doc.toString());
      throw e;
    }
  }

  private void emit(Record<byte[], byte[]> record, byte[] doc, Outcome outcome, long started) {
    Record<byte[], byte[]> out = record.withKey(doc).withHeaders(new RecordHeaders());
    if (outcome instanceof Outcome.Applied applied) {
      context.forward(out.withValue(applied.serialized()), DELTAS);
      settings
          .metrics()
          .applied(
              applied.serialized().length,
              applied.storedBytes(),
              System.nanoTime() - started,
              System.currentTimeMillis() - applied.delta().ts());
    } else {
      Rejection rejection = ((Outcome.Rejected) outcome).rejection();
      context.forward(out.withValue(Json.bytes(rejection)), REJECTIONS);
      settings.metrics().rejected(rejection.code());
    }
  }

  private void reject(Record<byte[], byte[]> record, Sender sender, DocstreamException e, long ts) {
    String reason = Integer.toString(e.code());
    long suppressed = settings.logLimiter().acquire(reason);
    if (suppressed == LogLimiter.SUPPRESS) {
      settings.metrics().logLineSuppressed();
    } else {
      LOG.warn("rejected record at {}: {}{}", position(), e, suppressedNote(suppressed, reason));
    }
    forwardRejection(record, Rejection.of(sender.id(), sender.actor(), e, ts));
  }

  private void failed(Record<byte[], byte[]> record, Sender sender, Throwable cause, long ts) {
    String where = position();
    String reason = Integer.toString(ErrorCode.RECORD_FAILED.code());
    long suppressed = settings.logLimiter().acquire(reason);
    if (suppressed == LogLimiter.SUPPRESS) {
      settings.metrics().logLineSuppressed();
    } else {
      LOG.warn(
          "record at {} failed and is skipped{}", where, suppressedNote(suppressed, reason), cause);
    }
    DocstreamException e =
        new DocstreamException(
            ErrorCode.RECORD_FAILED,
            "processing the record failed; the processor log names the cause (record "
                + where
                + ")");
    forwardRejection(record, Rejection.of(sender.id(), sender.actor(), e, ts));
  }

  private void skip(Record<byte[], byte[]> record, RecordMetadata where) {
    LOG.warn("skipping record at {} as skip.records asks", position());
    DocstreamException e =
        new DocstreamException(
            ErrorCode.RECORD_SKIPPED,
            "record "
                + where.topic()
                + "-"
                + where.partition()
                + "@"
                + where.offset()
                + " was skipped by the operator");
    Sender sender = CommandCodec.sender(record.value());
    forwardRejection(record, Rejection.of(sender.id(), sender.actor(), e, record.timestamp()));
  }

  private void forwardRejection(Record<byte[], byte[]> record, Rejection rejection) {
    context.forward(
        record
            .withKey(rejectionKey(record.key()))
            .withValue(Json.bytes(rejection))
            .withHeaders(new RecordHeaders()),
        REJECTIONS);
    settings.metrics().rejected(rejection.code());
  }

  /**
   * Sends the record to its document's partition under the document key, counting the hop; a record
   * that already hopped is rejected instead, so no record bounces for ever.
   */
  private void reroute(Record<byte[], byte[]> record, String doc) {
    int hops = hops(record.headers());
    if (hops >= MAX_HOPS) {
      throw new DocstreamException(
          ErrorCode.REROUTE_LOOP,
          "record was re-routed "
              + hops
              + " time(s) and is still not on the partition of "
              + doc
              + " (partitions added, or a producer set "
              + HOPS_HEADER
              + ")");
    }
    Headers headers = new RecordHeaders();
    headers.add(HOPS_HEADER, Integer.toString(hops + 1).getBytes(StandardCharsets.US_ASCII));
    context.forward(
        record.withKey(doc.getBytes(StandardCharsets.UTF_8)).withHeaders(headers), REROUTE);
    settings.metrics().rerouted();
  }

  private void fireDueTimers(long nowMillis) {
    for (Timers.Due due : state.timers().due(nowMillis, TIMERS_PER_PUNCTUATION)) {
      state.timers().fire(due);
      context.forward(
          new Record<>(due.doc().getBytes(StandardCharsets.UTF_8), due.message(), nowMillis),
          REROUTE);
      settings.metrics().timerFired();
    }
  }

  @Override
  public void close() {
    if (state != null) {
      state.dropCache();
    }
  }

  private String position() {
    return context
        .recordMetadata()
        .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
        .orElse("(no position)");
  }

  private static String suppressedNote(long suppressed, String reason) {
    return suppressed == 0
        ? ""
        : " (" + suppressed + " earlier lines for code " + reason + " were suppressed)";
  }

  private static Sender sender(Command command, Record<byte[], byte[]> record) {
    return command != null ? Sender.of(command) : CommandCodec.sender(record.value());
  }

  /** A header that cannot be read counts as a hop: only docstream writes it. */
  static int hops(Headers headers) {
    Header header = headers.lastHeader(HOPS_HEADER);
    if (header == null || header.value() == null) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(new String(header.value(), StandardCharsets.US_ASCII)));
    } catch (NumberFormatException e) {
      return MAX_HOPS;
    }
  }

  /** The record's key, or for a key over 1 KiB its first characters and its length. */
  private static byte[] rejectionKey(byte[] key) {
    if (key == null || key.length <= MAX_REJECTION_KEY_BYTES) {
      return key;
    }
    String cut = Echo.cut(new String(key, StandardCharsets.UTF_8));
    return cut.getBytes(StandardCharsets.UTF_8);
  }

  private String decodeKey(byte[] key) {
    if (key == null) {
      return null;
    }
    try {
      return keyDecoder.decode(ByteBuffer.wrap(key)).toString();
    } catch (CharacterCodingException e) {
      throw new DocstreamException(ErrorCode.DOC_KEY_INVALID, "record key is not UTF-8");
    }
  }
}
