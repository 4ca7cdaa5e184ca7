package io.docstream.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints a document's deltas and rejections as they commit. */
@Command(name = "tail", description = "Follow a document's deltas and rejections (read_committed).")
final class TailCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Parameters(index = "0", arity = "0..1", description = "Document key (default: every document).")
  String doc;

  @Option(names = "--from-beginning", description = "Start at the oldest retained record.")
  boolean fromBeginning;

  @Option(names = "--max-seconds", description = "Stop after this many seconds.")
  Long maxSeconds;

  @Override
  public Integer call() {
    long deadline =
        maxSeconds == null ? Long.MAX_VALUE : System.currentTimeMillis() + maxSeconds * 1000;
    try (TopicTail tail =
        new TopicTail(
            kafka.consumerProps(),
            List.of(kafka.topics().deltas(), kafka.topics().rejections()),
            fromBeginning)) {
      while (System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : tail.poll(Duration.ofMillis(200))) {
          if (doc == null || doc.equals(r.key())) {
            String kind = r.topic().equals(kafka.topics().deltas()) ? "delta" : "rejection";
            System.out.println(kind + " " + r.key() + " " + r.value());
          }
        }
        System.out.flush();
      }
    }
    return 0;
  }
}
