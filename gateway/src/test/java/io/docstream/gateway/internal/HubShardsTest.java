package io.docstream.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.gateway.GatewayLimits;
import io.docstream.gateway.SpacePolicies;
import io.docstream.gateway.Viewer;
import io.docstream.gateway.internal.Fakes.FakeCommands;
import io.docstream.gateway.internal.Fakes.FakeReads;
import io.docstream.gateway.internal.Fakes.FakeUpstream;
import io.docstream.gateway.internal.Fakes.RecordingClient;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What must hold when a connection's documents live on different hub shards. */
class HubShardsTest {
  private static final int THREADS = 4;
  private static final int DOCS = 12;

  private final FakeUpstream upstream = new FakeUpstream();
  private final FakeReads reads = new FakeReads();
  private final GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry());
  private Hub hub;
  private DefaultEventLoopGroup group;

  private Hub hub(GatewayLimits limits) {
    hub =
        new Hub(
            THREADS,
            listener -> {
              upstream.listener = listener;
              return upstream;
            },
            reads,
            new FakeCommands(),
            SpacePolicies.defaults(),
            limits,
            metrics);
    return hub;
  }

  private static GatewayLimits limits(long maxBacklogBytes, int maxOverflows, int maxPendingSends) {
    GatewayLimits d = GatewayLimits.defaults();
    return new GatewayLimits(
        d.maxFrameBytes(),
        maxBacklogBytes,
        maxOverflows,
        d.overflowWindowMillis(),
        d.maxSubscriptions(),
        d.sendsPerSecond(),
        maxPendingSends,
        d.ackTimeoutMillis(),
        d.historyDeltas(),
        d.snapshotTimeoutMillis());
  }

  @AfterEach
  void close() {
    if (hub != null) {
      hub.close();
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private void settle() {
    for (int i = 0; i < 4; i++) {
      hub.barrier().join();
    }
  }

  /** Documents spread over every shard. */
  private List<DocKey> docs() {
    List<DocKey> docs = new ArrayList<>();
    Set<Integer> shards = new HashSet<>();
    for (int i = 0; i < DOCS; i++) {
      DocKey doc = DocKey.parse("chat/d" + i);
      docs.add(doc);
      shards.add(hub.indexOf(doc.toString()));
    }
    assertThat(shards).as("shards holding the documents").hasSize(THREADS);
    return docs;
  }

  private void answerSnapshots(int count) {
    settle();
    assertThat(reads.snapshots).hasSize(count);
    for (int i = 0; i < count; i++) {
      reads.snapshots.poll().complete(new ReadApiClient.Snapshot(0, Json.object(), null));
    }
    settle();
  }

  /** One upstream poll: delta {@code seq} of every document, interleaved, as a consumer reads. */
  private void emitRound(List<DocKey> docs, long seq, String pad, boolean withIds) {
    List<Upstream.Event> batch = new ArrayList<>();
    for (DocKey doc : docs) {
      String patch = "{\"n\":" + seq + ",\"pad\":\"" + pad + "\"}";
      batch.add(
          new Upstream.DeltaEvent(
              doc.toString(),
              withIds ? Fakes.deltaBy("alice", seq, patch, "m-" + seq) : Fakes.delta(seq, patch)));
    }
    try {
      upstream.listener.onRecords(batch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void shouldKeepEachDocumentsFramesInOrderAndAcksAfterTheirDeltasAcrossShards() {
    hub(GatewayLimits.defaults());
    List<DocKey> docs = docs();
    RecordingClient alice = new RecordingClient(Viewer.of("alice"));
    RecordingClient bob = new RecordingClient(Viewer.of("bob"));
    for (DocKey doc : docs) {
      hub.subscribe(alice, doc, null);
      hub.subscribe(bob, doc, null);
    }
    answerSnapshots(DOCS);
    long rounds = 60;
    for (long seq = 1; seq <= rounds; seq++) {
      for (DocKey doc : docs) {
        hub.send(alice, doc, "m-" + seq, Json.parse("{}"));
      }
      emitRound(docs, seq, "", true);
    }
    settle();

    for (RecordingClient client : List.of(alice, bob)) {
      Map<String, Long> last = new HashMap<>();
      for (JsonNode f : client.frames) {
        String doc = f.get("doc").asText();
        switch (f.get("type").asText()) {
          case "snapshot" -> last.put(doc, f.get("seq").asLong());
          case "delta" -> {
            assertThat(f.get("seq").asLong()).as(doc + " in order").isEqualTo(last.get(doc) + 1);
            last.put(doc, f.get("seq").asLong());
          }
          case "ack" ->
              assertThat(f.get("seq").asLong())
                  .as("ack of " + f.get("id") + " on " + doc + " after its delta")
                  .isLessThanOrEqualTo(last.get(doc));
          default -> throw new AssertionError("unexpected frame " + f);
        }
      }
      assertThat(last).hasSize(DOCS).allSatisfy((doc, seq) -> assertThat(seq).isEqualTo(rounds));
    }
    assertThat(alice.ofType("ack")).hasSize((int) rounds * DOCS);
    assertThat(bob.ofType("ack")).isEmpty();
  }

  @Test
  void shouldCountAConnectionsPendingSendsAcrossShards() {
    hub(limits(GatewayLimits.defaults().maxBacklogBytes(), 3, 2));
    List<DocKey> docs = docs();
    List<DocKey> threeShards = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (DocKey doc : docs) {
      if (seen.add(hub.indexOf(doc.toString())) && threeShards.size() < 3) {
        threeShards.add(doc);
      }
    }
    RecordingClient alice = new RecordingClient(Viewer.of("alice"));
    hub.send(alice, threeShards.get(0), "m-1", Json.parse("{}"));
    hub.send(alice, threeShards.get(1), "m-1", Json.parse("{}"));
    settle();
    hub.send(alice, threeShards.get(2), "m-1", Json.parse("{}"));
    settle();

    assertThat(alice.frames).hasSize(1);
    assertThat(alice.frames.get(0).get("doc").asText()).isEqualTo(threeShards.get(2).toString());
    assertThat(alice.frames.get(0).get("code").asInt())
        .isEqualTo(ErrorCode.TOO_MANY_PENDING_SENDS.code());

    upstream.emit(threeShards.get(0).toString(), Fakes.deltaBy("alice", 1, "{}", "m-1"));
    settle();
    hub.send(alice, threeShards.get(2), "m-2", Json.parse("{}"));
    settle();
    assertThat(alice.frames).hasSize(2);
    assertThat(alice.frames.get(1).get("type").asText()).isEqualTo("ack");
  }

  @Test
  void shouldBoundOneConnectionsBacklogFedByEveryShardAndResyncEachDroppedDocument()
      throws Exception {
    long maxBacklogBytes = 16 * 1024;
    GatewayLimits limits = limits(maxBacklogBytes, 1000, 256);
    hub(limits);
    List<DocKey> docs = docs();
    Connected connected = connect(limits);
    Connection connection = connected.connection;
    for (DocKey doc : docs) {
      hub.subscribe(connection, doc, null);
    }
    answerSnapshots(DOCS);
    await().atMost(Duration.ofSeconds(10)).until(() -> connected.received.size() == DOCS);

    onLoop(connected.server, () -> writable(connected.server, false));
    String pad = "x".repeat(400);
    long rounds = 200;
    long highestBacklog = 0;
    for (long seq = 1; seq <= rounds; seq++) {
      emitRound(docs, seq, pad, false);
      highestBacklog = Math.max(highestBacklog, metrics.backlogBytes.get());
    }
    settle();
    onLoop(connected.server, () -> {});
    assertThat(metrics.slowDrops.count()).as("documents dropped for the slow client").isPositive();
    assertThat(connected.outbox.queuedBytes()).isLessThanOrEqualTo(maxBacklogBytes);
    assertThat(highestBacklog).isLessThanOrEqualTo(maxBacklogBytes + 1024);

    onLoop(connected.server, () -> writable(connected.server, true));
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(lastSeqs(connected.received))
                      .hasSize(DOCS)
                      .containsOnlyKeys(names(docs))
                      .allSatisfy((doc, seq) -> assertThat(seq).isEqualTo(rounds)));
    } catch (ConditionTimeoutException e) {
      String[] state = new String[1];
      onLoop(
          connected.server,
          () ->
              state[0] =
                  connected.outbox
                      + " writable "
                      + connected.server.isWritable()
                      + " active "
                      + connected.server.isActive());
      throw new AssertionError(
          state[0]
              + ", slow closes "
              + metrics.slowCloses.count()
              + ", drops "
              + metrics.slowDrops.count()
              + ", frames "
              + connected.received,
          e);
    }
    assertInOrderPerDocument(connected.received);

    connected.client.close().sync();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(metrics.backlogBytes.get()).as("backlog gauge").isZero();
              assertThat(hub.handOff().frameBytes()).as("hand-off gauge").isZero();
            });
  }

  private static Set<String> names(List<DocKey> docs) {
    Set<String> names = new HashSet<>();
    docs.forEach(d -> names.add(d.toString()));
    return names;
  }

  /** Per document, the seq of its last frame received. */
  private static Map<String, Long> lastSeqs(ConcurrentLinkedQueue<JsonNode> received) {
    Map<String, Long> last = new HashMap<>();
    for (JsonNode f : received) {
      last.put(f.get("doc").asText(), f.get("seq").asLong());
    }
    return last;
  }

  /** Each document: a snapshot, then deltas each one past the last; only a reset may skip. */
  private static void assertInOrderPerDocument(ConcurrentLinkedQueue<JsonNode> received) {
    Map<String, Long> last = new HashMap<>();
    for (JsonNode f : received) {
      String doc = f.get("doc").asText();
      long seq = f.get("seq").asLong();
      if (f.get("type").asText().equals("snapshot")) {
        assertThat(last.containsKey(doc) ? f.get("reset").asBoolean() : !f.get("reset").asBoolean())
            .as("first snapshot of " + doc + " is no reset, later ones are")
            .isTrue();
        assertThat(seq)
            .as(doc + " never goes back")
            .isGreaterThanOrEqualTo(last.getOrDefault(doc, 0L));
      } else {
        assertThat(seq).as(doc + " in order").isEqualTo(last.get(doc) + 1);
      }
      last.put(doc, seq);
    }
  }

  private static void writable(Channel channel, boolean writable) {
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
  }

  private static void onLoop(Channel channel, Runnable task) throws Exception {
    channel.eventLoop().submit(task).get();
  }

  private record Connected(
      Channel server,
      Channel client,
      Outbox outbox,
      Connection connection,
      ConcurrentLinkedQueue<JsonNode> received) {}

  /**
   * A connection on a real event loop (an in-JVM channel pair) whose outbox the hub's shards feed,
   * as in the gateway; the peer keeps every frame it receives.
   */
  private Connected connect(GatewayLimits limits) throws Exception {
    group = new DefaultEventLoopGroup(2);
    LocalAddress address = new LocalAddress("hub-shards-" + UUID.randomUUID());
    Outbox outbox = new Outbox(limits, metrics);
    CompletableFuture<Channel> accepted = new CompletableFuture<>();
    new ServerBootstrap()
        .group(group)
        .channel(LocalServerChannel.class)
        .childHandler(
            new ChannelInitializer<LocalChannel>() {
              @Override
              protected void initChannel(LocalChannel channel) {
                channel.pipeline().addLast(outbox);
                accepted.complete(channel);
              }
            })
        .bind(address)
        .sync();
    ConcurrentLinkedQueue<JsonNode> received = new ConcurrentLinkedQueue<>();
    Channel client =
        new Bootstrap()
            .group(group)
            .channel(LocalChannel.class)
            .handler(
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    TextWebSocketFrame frame = (TextWebSocketFrame) msg;
                    try {
                      received.add((ObjectNode) Json.parse(frame.text()));
                    } finally {
                      frame.release();
                    }
                  }
                })
            .connect(address)
            .sync()
            .channel();
    Channel server = accepted.get();
    Connection connection = new Connection(server, Viewer.of("alice"), outbox, hub.handOff());
    outbox.onResync(doc -> hub.resync(connection, doc));
    return new Connected(server, client, outbox, connection, received);
  }
}
