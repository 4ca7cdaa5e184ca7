package io.docstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.document.MergePatch;
import io.docstream.document.Nodes;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The invariant checker: reads every committed delta and proves that each document's seq runs 1, 2,
 * 3, ... without gap or repeat, that no message id was applied twice to a document, and that the
 * document each processor serves equals the fold of its deltas from {@code {}}.
 */
@Command(
    name = "verify",
    description =
        "Check seq, exactly-once and stored == fold(deltas); run it when no messages are in flight.")
final class VerifyCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Option(names = "--url", defaultValue = "http://127.0.0.1:8081", description = "Read API.")
  String url;

  private static final class Fold {
    long seq;
    JsonNode data = Nodes.object();
    final Set<String> ids = new HashSet<>();
  }

  @Override
  public Integer call() throws Exception {
    List<String> violations = new ArrayList<>();
    Map<String, Fold> folds = new HashMap<>();
    long deltas = 0;
    try (TopicTail tail =
        new TopicTail(kafka.clientProps(), List.of(kafka.topics().deltas()), true)) {
      while (!tail.atEnd()) {
        for (ConsumerRecord<String, String> r : tail.poll(Duration.ofMillis(500))) {
          deltas++;
          JsonNode delta = Json.parse(r.value());
          Fold fold = folds.computeIfAbsent(r.key(), k -> new Fold());
          long seq = delta.path("seq").asLong();
          if (seq != fold.seq + 1) {
            violations.add(r.key() + ": seq " + seq + " follows " + fold.seq);
          }
          fold.seq = seq;
          for (JsonNode id : delta.path("ids")) {
            if (!fold.ids.add(id.asText())) {
              violations.add(r.key() + ": message " + id.asText() + " applied twice");
            }
          }
          fold.data = MergePatch.apply(fold.data, delta.path("patch"));
        }
      }
    }
    HttpClient http = HttpClient.newHttpClient();
    for (Map.Entry<String, Fold> e : folds.entrySet()) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/docs/" + e.getKey())).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode stored = Json.parse(response.body());
      if (response.statusCode() != 200) {
        violations.add(e.getKey() + ": read API answered " + response.body());
      } else if (stored.path("seq").asLong() != e.getValue().seq
          || !stored.path("data").equals(e.getValue().data)) {
        violations.add(
            e.getKey()
                + ": stored seq "
                + stored.path("seq").asLong()
                + " differs from the fold of its deltas (seq "
                + e.getValue().seq
                + ")");
      }
    }
    System.out.printf("checked %d deltas of %d documents%n", deltas, folds.size());
    if (!violations.isEmpty()) {
      violations.stream().limit(50).forEach(System.out::println);
      throw new DocstreamException(
          ErrorCode.VERIFY_FAILED, violations.size() + " violations (first ones above)");
    }
    System.out.println("ok: no gap, no repeat, no duplicate, stored == fold(deltas)");
    return 0;
  }
}
