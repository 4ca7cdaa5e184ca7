package io.docstream.topology.internal;

import io.docstream.serdes.Command;
import io.docstream.serdes.CommandCodec;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.serdes.Rejection;
import io.docstream.spaces.SpaceRegistry;
import io.docstream.state.DocumentState;
import io.docstream.state.StateLimits;
import io.docstream.state.Timers;
import io.docstream.topology.ProcessorMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one processor of the topology. Per record: parse strictly, send records that are not on their
 * document's partition (no key, or produced with another partitioner) back through the commands
 * topic under the document key, and apply the rest. Malformed records become coded rejections and
 * never stop the stream. A wall-clock punctuation delivers due timers as messages through the
 * commands topic, in the same transaction that removes them.
 */
public final class DocProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  public static final String DELTAS = "deltas";
  public static final String REJECTIONS = "rejections";
  public static final String REROUTE = "reroute";

  private static final Logger LOG = LoggerFactory.getLogger(DocProcessor.class);
  private static final int TIMERS_PER_PUNCTUATION = 1000;

  private final Settings settings;
  private ProcessorContext<byte[], byte[]> context;
  private DocumentState state;
  private DocumentApplier applier;

  /**
   * @param commandPartitions the partition count of the commands topic, or 0 when unknown (then
   *     every keyed record is taken to be on its partition)
   */
  public record Settings(
      SpaceRegistry spaces,
      StateLimits limits,
      int maxMessageBytes,
      int maxDeltaBytes,
      long timerIntervalMillis,
      int commandPartitions,
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
    String recordKey = null;
    Command command = null;
    long ts = record.timestamp();
    try {
      recordKey = decodeKey(record.key());
      command = CommandCodec.parse(record.value(), settings.maxMessageBytes());
      if (command.ts() != null) {
        ts = command.ts();
      }
      DocKey doc = CommandCodec.target(recordKey, command);
      if (recordKey == null || !onItsPartition(record.key())) {
        reroute(record, doc.toString());
        return;
      }
      emit(record, doc.toString(), applier.apply(doc, command, ts), started);
    } catch (DocstreamException e) {
      reject(record, command, e, ts);
    }
  }

  private void emit(Record<byte[], byte[]> record, String doc, Outcome outcome, long started) {
    byte[] key = doc.getBytes(StandardCharsets.UTF_8);
    if (outcome instanceof Outcome.Applied applied) {
      context.forward(record.withKey(key).withValue(applied.serialized()), DELTAS);
      settings
          .metrics()
          .applied(
              applied.serialized().length,
              applied.storedBytes(),
              System.nanoTime() - started,
              System.currentTimeMillis() - applied.delta().ts());
    } else {
      Rejection rejection = ((Outcome.Rejected) outcome).rejection();
      context.forward(record.withKey(key).withValue(Json.bytes(rejection)), REJECTIONS);
      settings.metrics().rejected(rejection.code());
    }
  }

  private void reject(
      Record<byte[], byte[]> record, Command command, DocstreamException e, long ts) {
    RecordMetadata where = context.recordMetadata().orElse(null);
    LOG.warn(
        "rejected record at {}-{}@{}: {}",
        where == null ? "?" : where.topic(),
        where == null ? -1 : where.partition(),
        where == null ? -1 : where.offset(),
        e.toString());
    Rejection rejection =
        Rejection.of(
            command == null ? null : command.id(), command == null ? null : command.actor(), e, ts);
    context.forward(record.withValue(Json.bytes(rejection)), REJECTIONS);
    settings.metrics().rejected(e.code());
  }

  private void reroute(Record<byte[], byte[]> record, String doc) {
    context.forward(record.withKey(doc.getBytes(StandardCharsets.UTF_8)), REROUTE);
    settings.metrics().rerouted();
  }

  private boolean onItsPartition(byte[] key) {
    int partitions = settings.commandPartitions();
    if (partitions <= 0) {
      return true;
    }
    int expected = Utils.toPositive(Utils.murmur2(key)) % partitions;
    return context.recordMetadata().map(m -> m.partition() == expected).orElse(true);
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

  private static String decodeKey(byte[] key) {
    if (key == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(key))
          .toString();
    } catch (CharacterCodingException e) {
      throw new DocstreamException(ErrorCode.DOC_KEY_INVALID, "record key is not UTF-8");
    }
  }
}
