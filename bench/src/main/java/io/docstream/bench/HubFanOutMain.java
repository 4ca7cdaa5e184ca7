package io.docstream.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.gateway.GatewayLimits;
import io.docstream.gateway.SpacePolicies;
import io.docstream.gateway.Viewer;
import io.docstream.gateway.internal.Client;
import io.docstream.gateway.internal.CommandSink;
import io.docstream.gateway.internal.GatewayMetrics;
import io.docstream.gateway.internal.Hub;
import io.docstream.gateway.internal.OutFrame;
import io.docstream.gateway.internal.ReadApiClient;
import io.docstream.gateway.internal.Upstream;
import io.docstream.serdes.Command;
import io.docstream.serdes.Delta;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.TopicPartition;

/**
 * The gateway's hub alone, without Kafka, sockets or event loops: this thread posts polls of deltas
 * as the upstream consumer does, and each subscriber counts the frames handed to it. Trials
 * alternate the hub thread counts given, so that each count sees the same machine. Prints delivered
 * frames/s per trial and the median per count.
 *
 * <p>Arguments: [threads,...] [trials] [seconds] [documents] [subscribers]; defaults 1,2 3 5 100
 * 5000.
 */
public final class HubFanOutMain {
  private static final int DELTAS_PER_POLL = 500;

  private HubFanOutMain() {}

  public static void main(String[] args) throws Exception {
    int[] counts =
        Arrays.stream((args.length > 0 ? args[0] : "1,2").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int trials = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int documents = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    int subscribers = args.length > 4 ? Integer.parseInt(args[4]) : 5000;
    List<List<Double>> rates = new ArrayList<>();
    for (int c = 0; c < counts.length; c++) {
      rates.add(new ArrayList<>());
    }
    trial(counts[0], 2, documents, subscribers); // warm-up: JIT
    for (int t = 0; t < trials; t++) {
      for (int c = 0; c < counts.length; c++) {
        double rate = trial(counts[c], seconds, documents, subscribers);
        rates.get(c).add(rate);
        System.out.printf(
            "trial %d, %d hub thread(s): %.0f frames/s, load %s%n",
            t + 1, counts[c], rate, Conditions.loadAverage());
      }
    }
    for (int c = 0; c < counts.length; c++) {
      List<Double> sorted = rates.get(c).stream().sorted().toList();
      System.out.printf(
          "%d hub thread(s): median %.0f frames/s of %s%n",
          counts[c], sorted.get(sorted.size() / 2), sorted);
    }
  }

  private static double trial(int threads, int seconds, int documents, int subscribers)
      throws Exception {
    LongAdder frames = new LongAdder();
    Hub hub =
        new Hub(
            threads,
            listener -> new NoUpstream(),
            new EmptyDocuments(),
            new NoCommands(),
            SpacePolicies.defaults(),
            GatewayLimits.defaults(),
            new GatewayMetrics(new SimpleMeterRegistry()));
    try {
      for (int i = 0; i < subscribers; i++) {
        Viewer viewer = Viewer.of("v" + i);
        Client client =
            new Client() {
              @Override
              public Viewer viewer() {
                return viewer;
              }

              @Override
              public void deliver(OutFrame frame) {
                frames.increment();
              }
            };
        hub.subscribe(client, DocKey.parse("json/fan-" + (i % documents)), null);
      }
      hub.barrier().get();
      hub.barrier().get();
      long seq = 0;
      long start = System.nanoTime();
      long end = start + seconds * 1_000_000_000L;
      frames.reset();
      while (System.nanoTime() < end) {
        List<Upstream.Event> poll = new ArrayList<>(DELTAS_PER_POLL);
        for (int i = 0; i < DELTAS_PER_POLL; i++) {
          if (i % documents == 0) {
            seq++;
          }
          ObjectNode patch = Json.object().put("t", System.currentTimeMillis());
          poll.add(
              new Upstream.DeltaEvent(
                  "json/fan-" + (i % documents),
                  new Delta(seq, patch, List.of(), System.currentTimeMillis(), null, null)));
        }
        hub.onRecords(poll);
      }
      hub.barrier().get();
      double elapsed = (System.nanoTime() - start) / 1e9;
      return frames.sum() / elapsed;
    } finally {
      hub.close();
    }
  }

  /** Every partition is read from the start of the trial. */
  private static final class NoUpstream implements Upstream {
    @Override
    public Set<TopicPartition> partitionsOf(String doc) {
      return Set.of(new TopicPartition("deltas", 0));
    }

    @Override
    public CompletableFuture<Void> add(Set<TopicPartition> partitions) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void remove(Set<TopicPartition> partitions) {}

    @Override
    public void close() {}
  }

  /** Every document is empty at seq 0. */
  private static final class EmptyDocuments implements ReadApiClient {
    @Override
    public CompletableFuture<Snapshot> snapshot(String doc) {
      return CompletableFuture.completedFuture(new Snapshot(0, Json.object(), null));
    }

    @Override
    public CompletableFuture<Optional<List<Delta>>> deltasAfter(String doc, long after) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public void close() {}
  }

  private static final class NoCommands implements CommandSink {
    @Override
    public CompletableFuture<Void> send(String doc, Command command) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {}
  }
}
