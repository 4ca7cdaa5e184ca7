package io.docstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.document.MergePatch;
import io.docstream.document.Nodes;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The invariant checker: reads every committed delta and proves that each document's seq runs 1, 2,
 * 3, ... without gap or repeat, that no message id was applied twice to a document, and that the
 * document each processor serves equals the fold of its deltas from {@code {}} at the seq it
 * serves. Traffic may go on meanwhile: a document served at a seq not yet read is compared when the
 * fold reaches it, and one whose partition is migrating is asked again. A document's deltas may lie
 * on two partitions (the partition count was raised by a rescale): they are folded in seq order,
 * whatever order the partitions are read in, and a seq still missing at the end is a gap.
 */
@Command(
    name = "verify",
    description = "Check seq, exactly-once and stored == fold(deltas); works while messages flow.")
final class VerifyCommand implements Callable<Integer> {
  private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

  @Mixin KafkaOptions kafka;

  @Mixin ReadApiOptions readApi;

  @Option(
      names = "--settle-seconds",
      defaultValue = "30",
      description = "How long to wait for served documents to be matched by committed deltas.")
  long settleSeconds;

  private final List<String> violations = new ArrayList<>();
  private final Map<String, Fold> folds = new HashMap<>();

  /** Served documents waiting for the fold to reach their seq, or to be asked again. */
  private final Map<String, Served> waiting = new HashMap<>();

  private long deltas;

  private static final class Fold {
    long seq;
    JsonNode data = Nodes.object();
    final Set<String> ids = new HashSet<>();

    /** Deltas read before the ones they follow (from another partition), by seq. */
    final TreeMap<Long, JsonNode> ahead = new TreeMap<>();
  }

  /** A document as the read API served it; null seq when it must be asked again. */
  private record Served(Long seq, JsonNode data, String answer) {}

  @Override
  public Integer call() throws Exception {
    try (TopicTail tail =
        new TopicTail(kafka.consumerProps(), List.of(kafka.topics().deltas()), true)) {
      // Up to the end as of now; under traffic the end moves on, and what follows is read below.
      Map<TopicPartition, Long> ends = tail.ends();
      while (!tail.reached(ends)) {
        tail.poll(Duration.ofMillis(500)).forEach(this::fold);
      }
      for (String doc : folds.keySet()) {
        check(doc, fetch(doc));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(settleSeconds).toNanos();
      while (!waiting.isEmpty() && System.nanoTime() < deadline) {
        tail.poll(RETRY_PAUSE).forEach(this::fold);
        for (Map.Entry<String, Served> e : Map.copyOf(waiting).entrySet()) {
          if (e.getValue().seq() == null) {
            check(e.getKey(), fetch(e.getKey()));
          }
        }
      }
    }
    folds.forEach(
        (doc, fold) -> {
          if (!fold.ahead.isEmpty()) {
            violations.add(doc + ": seq " + fold.ahead.firstKey() + " follows " + fold.seq);
          }
        });
    waiting.forEach(
        (doc, served) ->
            violations.add(
                served.seq() == null
                    ? doc + ": read API answered " + served.answer()
                    : doc
                        + ": served at seq "
                        + served.seq()
                        + " but the committed deltas stop at "
                        + folds.get(doc).seq));
    System.out.printf("checked %d deltas of %d documents%n", deltas, folds.size());
    if (!violations.isEmpty()) {
      violations.stream().limit(50).forEach(System.out::println);
      throw new DocstreamException(
          ErrorCode.VERIFY_FAILED, violations.size() + " violations (first ones above)");
    }
    System.out.println("ok: no gap, no repeat, no duplicate, stored == fold(deltas)");
    return 0;
  }

  private void fold(ConsumerRecord<String, String> r) {
    deltas++;
    JsonNode delta = Json.parse(r.value());
    Fold fold = folds.computeIfAbsent(r.key(), k -> new Fold());
    long seq = delta.path("seq").asLong();
    if (seq <= fold.seq || fold.ahead.containsKey(seq)) {
      violations.add(r.key() + ": seq " + seq + " repeats (folded up to " + fold.seq + ")");
      return;
    }
    fold.ahead.put(seq, delta);
    while (!fold.ahead.isEmpty() && fold.ahead.firstKey() == fold.seq + 1) {
      apply(r.key(), fold, fold.ahead.pollFirstEntry().getValue());
    }
  }

  private void apply(String doc, Fold fold, JsonNode delta) {
    long seq = delta.path("seq").asLong();
    fold.seq = seq;
    for (JsonNode id : delta.path("ids")) {
      if (!fold.ids.add(id.asText())) {
        violations.add(doc + ": message " + id.asText() + " applied twice");
      }
    }
    fold.data = MergePatch.apply(fold.data, delta.path("patch"));
    Served served = waiting.get(doc);
    if (served != null && served.seq() != null && served.seq() == seq) {
      check(doc, served);
    }
  }

  private Served fetch(String doc) throws Exception {
    HttpResponse<String> response = readApi.get("/docs/" + doc, kafka.timeout());
    if (response.statusCode() != 200) {
      return new Served(null, null, response.statusCode() + " " + response.body());
    }
    JsonNode stored = Json.parse(response.body());
    return new Served(stored.path("seq").asLong(), stored.path("data"), null);
  }

  /** Compares {@code served} with the fold once the fold is at its seq; waits otherwise. */
  private void check(String doc, Served served) {
    Fold fold = folds.get(doc);
    if (served.seq() == null || served.seq() > fold.seq) {
      waiting.put(doc, served);
      return;
    }
    waiting.remove(doc);
    if (served.seq() < fold.seq) {
      violations.add(
          doc + ": served at seq " + served.seq() + ", behind committed seq " + fold.seq);
    } else if (!served.data().equals(fold.data)) {
      violations.add(
          doc + ": stored document differs from the fold of its deltas at seq " + fold.seq);
    }
  }
}
