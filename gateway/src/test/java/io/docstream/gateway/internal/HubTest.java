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
import io.docstream.serdes.Command;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.serdes.Rejection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubTest {
  private static final DocKey DOC = DocKey.parse("chat/lobby");

  private final FakeUpstream upstream = new FakeUpstream();
  private final FakeReads reads = new FakeReads();
  private final FakeCommands commands = new FakeCommands();
  private Hub hub = hub(GatewayLimits.defaults());

  private Hub hub(GatewayLimits limits) {
    return hub(limits, SpacePolicies.defaults());
  }

  /** Hub threads; {@link ShardedHubTest} runs every test here again with several. */
  int threads() {
    return 1;
  }

  private Hub hub(GatewayLimits limits, SpacePolicies policies) {
    return new Hub(
        threads(),
        listener -> {
          upstream.listener = listener;
          return upstream;
        },
        reads,
        commands,
        policies,
        limits,
        new GatewayMetrics(new SimpleMeterRegistry()));
  }

  @AfterEach
  void close() {
    hub.close();
  }

  private void settle() {
    for (int i = 0; i < 4; i++) {
      hub.barrier().join();
    }
  }

  private void answerSnapshot(long seq, String data) {
    answerSnapshot(seq, data, null);
  }

  private void answerSnapshot(long seq, String data, String hash) {
    settle();
    assertThat(reads.snapshots).as("snapshot requests").isNotEmpty();
    reads
        .snapshots
        .poll()
        .complete(new ReadApiClient.Snapshot(seq, (ObjectNode) Json.parse(data), hash));
    settle();
  }

  private static JsonNode last(RecordingClient client) {
    return client.frames.get(client.frames.size() - 1);
  }

  private RecordingClient liveClient(long seq) {
    RecordingClient client = new RecordingClient(Viewer.of("alice"));
    hub.subscribe(client, DOC, null);
    answerSnapshot(seq, "{\"n\":" + seq + "}");
    return client;
  }

  private void emit(long... seqs) {
    for (long seq : seqs) {
      upstream.emit(DOC.toString(), Fakes.delta(seq, "{\"n\":" + seq + "}"));
    }
    settle();
  }

  @Test
  void shouldDropBufferedDeltasTheSnapshotCoversAndDeliverTheRestInOrder() {
    RecordingClient client = new RecordingClient(Viewer.of("alice"));
    hub.subscribe(client, DOC, null);
    settle();
    emit(5, 6, 7);
    assertThat(client.frames).isEmpty();

    answerSnapshot(6, "{\"n\":6}");

    assertThat(client.frames.get(0).get("type").asText()).isEqualTo("snapshot");
    assertThat(client.frames.get(0).get("seq").asLong()).isEqualTo(6);
    assertThat(client.frames.get(0).get("reset").asBoolean()).isFalse();
    assertThat(client.deltaSeqs()).containsExactly(7L);
  }

  @Test
  void shouldFetchMissingDeltasWhenAGapAppears() {
    RecordingClient client = liveClient(6);

    emit(9);
    FakeReads.DeltasRequest request = reads.deltaRequests.poll();
    assertThat(request.after()).isEqualTo(6);
    request.answer().complete(Optional.of(List.of(Fakes.delta(7, "{}"), Fakes.delta(8, "{}"))));
    settle();

    assertThat(client.deltaSeqs()).containsExactly(7L, 8L, 9L);
  }

  private Set<TopicPartition> movePartitionOfDoc() {
    Set<TopicPartition> before = upstream.partitionsOf(DOC.toString());
    int count = 5;
    while (Math.floorMod(DOC.toString().hashCode(), count)
        == Math.floorMod(DOC.toString().hashCode(), 4)) {
      count++;
    }
    upstream.addPartitions(count);
    settle();
    return before;
  }

  @Test
  void shouldWatchTheNewPartitionAndResetSubscribersWhenPartitionsAreAdded() {
    RecordingClient client = liveClient(6);

    Set<TopicPartition> before = movePartitionOfDoc();

    assertThat(upstream.assigned)
        .containsExactlyElementsOf(upstream.partitionsOf(DOC.toString()))
        .doesNotContainAnyElementsOf(before);
    answerSnapshot(9, "{\"n\":9}");
    JsonNode reset = last(client);
    assertThat(reset.get("type").asText()).isEqualTo("snapshot");
    assertThat(reset.get("reset").asBoolean()).isTrue();
    assertThat(reset.get("seq").asLong()).isEqualTo(9);
    emit(10);
    assertThat(client.deltaSeqs()).containsExactly(10L);
  }

  @Test
  void shouldAskAgainWhileNoProcessorAnswersAndKeepAFeedThatMissedNothing() {
    RecordingClient client = liveClient(6);
    int framesBefore = client.frames.size();

    movePartitionOfDoc();
    reads.snapshots.poll().completeExceptionally(new IllegalStateException("processor down"));
    await().atMost(Duration.ofSeconds(5)).until(() -> !reads.snapshots.isEmpty());
    answerSnapshot(6, "{\"n\":6}");
    emit(7);

    assertThat(client.frames).hasSize(framesBefore + 1);
    assertThat(client.deltaSeqs()).containsExactly(7L);
  }

  @Test
  void shouldReplaceStateWithAResetSnapshotWhenAGapCannotBeFilled() {
    RecordingClient client = liveClient(6);

    emit(9);
    reads.deltaRequests.poll().answer().complete(Optional.empty());
    answerSnapshot(9, "{\"n\":9}");

    JsonNode last = client.frames.get(client.frames.size() - 1);
    assertThat(last.get("type").asText()).isEqualTo("snapshot");
    assertThat(last.get("seq").asLong()).isEqualTo(9);
    assertThat(last.get("reset").asBoolean()).isTrue();
    assertThat(client.deltaSeqs()).isEmpty();
  }

  @Test
  void shouldApplyOnlyTheMissingDeltasBelowTheCommittedOneThatRevealedTheGap() {
    RecordingClient client = liveClient(6);

    emit(9);
    FakeReads.DeltasRequest request = reads.deltaRequests.poll();
    request
        .answer()
        .complete(
            Optional.of(
                List.of(
                    Fakes.delta(7, "{}"),
                    Fakes.delta(8, "{}"),
                    Fakes.delta(9, "{\"n\":9}"),
                    Fakes.delta(10, "{\"n\":\"not committed\"}"))));
    settle();
    upstream.emit(DOC.toString(), Fakes.delta(10, "{\"n\":10}"));
    settle();

    assertThat(client.deltaSeqs()).containsExactly(7L, 8L, 9L, 10L);
    assertThat(last(client).get("patch")).isEqualTo(Json.parse("{\"n\":10}"));
  }

  @Test
  void shouldReloadWhenTheCommittedDeltaAtTheSnapshotsSeqCarriesAnotherHash() {
    RecordingClient client = new RecordingClient(Viewer.of("alice"));
    hub.subscribe(client, DOC, null);
    answerSnapshot(5, "{\"n\":\"never committed\"}", "00000000000000aa");

    upstream.emit(DOC.toString(), Fakes.hashed(5, "{\"n\":5}", "00000000000000bb"));
    upstream.emit(DOC.toString(), Fakes.hashed(6, "{\"n\":6}", "00000000000000cc"));
    answerSnapshot(5, "{\"n\":5}", "00000000000000bb");
    upstream.emit(DOC.toString(), Fakes.hashed(7, "{\"n\":7}", "00000000000000dd"));
    settle();

    List<JsonNode> snapshots = client.ofType("snapshot");
    assertThat(snapshots).hasSize(2);
    assertThat(snapshots.get(1).get("reset").asBoolean()).isTrue();
    assertThat(snapshots.get(1).get("data")).isEqualTo(Json.parse("{\"n\":5}"));
    assertThat(client.deltaSeqs()).containsExactly(6L, 7L);
    assertThat(last(client).get("patch")).isEqualTo(Json.parse("{\"n\":7}"));
  }

  @Test
  void shouldReloadWhenACommittedDeltaReadWhileLoadingContradictsTheSnapshot() {
    RecordingClient client = new RecordingClient(Viewer.of("alice"));
    hub.subscribe(client, DOC, null);
    settle();
    upstream.emit(DOC.toString(), Fakes.hashed(5, "{\"n\":5}", "00000000000000bb"));
    answerSnapshot(5, "{\"n\":\"never committed\"}", "00000000000000aa");
    answerSnapshot(5, "{\"n\":5}", "00000000000000bb");

    assertThat(client.frames).hasSize(1);
    assertThat(client.frames.get(0).get("data")).isEqualTo(Json.parse("{\"n\":5}"));
  }

  @Test
  void shouldPauseBeforeLoadingAgainWhileSnapshotsKeepContradictingTheCommittedDeltas()
      throws Exception {
    RecordingClient client = new RecordingClient(Viewer.of("alice"));
    hub.subscribe(client, DOC, null);
    answerSnapshot(5, "{\"n\":\"a\"}", "00000000000000aa");
    upstream.emit(DOC.toString(), Fakes.hashed(5, "{\"n\":5}", "00000000000000bb"));
    answerSnapshot(5, "{\"n\":\"a\"}", "00000000000000aa");

    assertThat(reads.snapshots).as("no third load at once").isEmpty();
    long started = System.nanoTime();
    await().atMost(Duration.ofSeconds(5)).until(() -> !reads.snapshots.isEmpty());
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(50));
    answerSnapshot(5, "{\"n\":5}", "00000000000000bb");

    assertThat(last(client).get("reset").asBoolean()).isTrue();
    assertThat(last(client).get("data")).isEqualTo(Json.parse("{\"n\":5}"));
  }

  @Test
  void shouldKeepASnapshotTheCommittedDeltasConfirm() {
    RecordingClient client = new RecordingClient(Viewer.of("alice"));
    hub.subscribe(client, DOC, null);
    answerSnapshot(5, "{\"n\":5}", "00000000000000bb");

    upstream.emit(DOC.toString(), Fakes.hashed(5, "{\"n\":5}", "00000000000000bb"));
    upstream.emit(DOC.toString(), Fakes.hashed(6, "{\"n\":6}", "00000000000000cc"));
    settle();

    assertThat(reads.snapshots).isEmpty();
    assertThat(client.ofType("snapshot")).hasSize(1);
    assertThat(client.deltaSeqs()).containsExactly(6L);
  }

  @Test
  void shouldResumeFromTheReadApiPastTheCommittedSeqOnlyToTheSnapshotsHash() {
    hub.close();
    hub = hub(withHistory(0));
    RecordingClient first = new RecordingClient(Viewer.of("alice"));
    hub.subscribe(first, DOC, null);
    answerSnapshot(5, "{\"n\":5}", "00000000000000aa");

    RecordingClient other = new RecordingClient(Viewer.of("bob"));
    hub.subscribe(other, DOC, 3L);
    settle();
    reads
        .deltaRequests
        .poll()
        .answer()
        .complete(
            Optional.of(
                List.of(
                    Fakes.hashed(4, "{\"n\":4}", "0000000000000004"),
                    Fakes.hashed(5, "{\"n\":\"other\"}", "00000000000000bb"))));
    RecordingClient same = new RecordingClient(Viewer.of("carol"));
    hub.subscribe(same, DOC, 3L);
    settle();
    reads
        .deltaRequests
        .poll()
        .answer()
        .complete(
            Optional.of(
                List.of(
                    Fakes.hashed(4, "{\"n\":4}", "0000000000000004"),
                    Fakes.hashed(5, "{\"n\":5}", "00000000000000aa"))));
    settle();

    assertThat(other.deltaSeqs()).isEmpty();
    assertThat(other.frames).hasSize(1);
    assertThat(other.frames.get(0).get("reset").asBoolean()).isTrue();
    assertThat(other.frames.get(0).get("data")).isEqualTo(Json.parse("{\"n\":5}"));
    assertThat(same.ofType("snapshot")).isEmpty();
    assertThat(same.deltaSeqs()).containsExactly(4L, 5L);
  }

  @Test
  void shouldSendAResetSnapshotForASinceBeyondTheDocument() {
    liveClient(2);

    RecordingClient future = new RecordingClient(Viewer.of("bob"));
    hub.subscribe(future, DOC, 1000L);
    settle();
    emit(3);

    assertThat(future.frames.get(0).get("type").asText()).isEqualTo("snapshot");
    assertThat(future.frames.get(0).get("seq").asLong()).isEqualTo(2);
    assertThat(future.frames.get(0).get("reset").asBoolean()).isTrue();
    assertThat(future.deltaSeqs()).containsExactly(3L);
  }

  @Test
  void shouldRefuseASecondSubOfTheSameDocumentAndKeepTheFirst() {
    RecordingClient client = liveClient(2);

    hub.subscribe(client, DOC, null);
    settle();
    emit(3);

    assertThat(client.ofType("snapshot")).hasSize(1);
    assertThat(client.ofType("error").get(0).get("code").asInt())
        .isEqualTo(ErrorCode.ALREADY_SUBSCRIBED.code());
    assertThat(client.deltaSeqs()).containsExactly(3L);
  }

  @Test
  void shouldResumeFromHistoryWithExactlyTheMissedDeltas() {
    liveClient(6);
    emit(7, 8, 9, 10);

    RecordingClient resumed = new RecordingClient(Viewer.of("bob"));
    hub.subscribe(resumed, DOC, 8L);
    settle();
    emit(11);

    assertThat(resumed.ofType("snapshot")).isEmpty();
    assertThat(resumed.deltaSeqs()).containsExactly(9L, 10L, 11L);
  }

  @Test
  void shouldResumeFromTheReadApiWhenHistoryIsTooShort() {
    hub.close();
    hub = hub(withHistory(2));
    liveClient(6);
    emit(7, 8, 9, 10);

    RecordingClient resumed = new RecordingClient(Viewer.of("bob"));
    hub.subscribe(resumed, DOC, 3L);
    settle();
    emit(11); // arrives while the missed deltas are fetched
    FakeReads.DeltasRequest request = reads.deltaRequests.poll();
    assertThat(request.after()).isEqualTo(3);
    request
        .answer()
        .complete(
            Optional.of(
                LongStream.rangeClosed(4, 10).mapToObj(s -> Fakes.delta(s, "{}")).toList()));
    settle();

    assertThat(resumed.deltaSeqs()).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
  }

  @Test
  void shouldResumeFromAReadApiPrefixShortOfTheFeedWhenTheHistoryCoversTheRest() {
    hub.close();
    hub = hub(withHistory(2));
    liveClient(6);
    emit(7, 8, 9, 10);

    RecordingClient resumed = new RecordingClient(Viewer.of("bob"));
    hub.subscribe(resumed, DOC, 3L);
    settle();
    // the processor's topic showed 4 to 8 committed; the feed's history holds 9 and 10
    reads
        .deltaRequests
        .poll()
        .answer()
        .complete(
            Optional.of(LongStream.rangeClosed(4, 8).mapToObj(s -> Fakes.delta(s, "{}")).toList()));
    settle();
    emit(11);

    assertThat(resumed.ofType("snapshot")).isEmpty();
    assertThat(resumed.deltaSeqs()).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
  }

  @Test
  void shouldSendAResetSnapshotWhenMissedDeltasAreGone() {
    hub.close();
    hub = hub(withHistory(0));
    liveClient(6);
    emit(7);

    RecordingClient resumed = new RecordingClient(Viewer.of("bob"));
    hub.subscribe(resumed, DOC, 2L);
    settle();
    reads.deltaRequests.poll().answer().complete(Optional.empty());
    settle();

    assertThat(resumed.frames).hasSize(1);
    assertThat(resumed.frames.get(0).get("seq").asLong()).isEqualTo(7);
    assertThat(resumed.frames.get(0).get("reset").asBoolean()).isTrue();
  }

  private void useMembersOnlyMessages() {
    hub.close();
    hub =
        hub(
            GatewayLimits.defaults(),
            SpacePolicies.fromProperties(
                java.util.Map.of("gateway.space.chat.readers./messages", "/members")));
  }

  @Test
  void shouldSendNullToAViewerRemovedFromTheReadersListAndNothingMoreOfTheField() {
    useMembersOnlyMessages();
    RecordingClient bob = new RecordingClient(Viewer.of("bob"));
    hub.subscribe(bob, DOC, null);
    answerSnapshot(1, "{\"members\":{\"bob\":1},\"messages\":{\"1\":\"hi\"}}");

    upstream.emit(DOC.toString(), Fakes.delta(2, "{\"members\":{\"bob\":null}}"));
    upstream.emit(DOC.toString(), Fakes.delta(3, "{\"messages\":{\"2\":\"secret\"}}"));
    settle();

    assertThat(bob.ofType("snapshot").get(0).get("data"))
        .isEqualTo(Json.parse("{\"members\":{\"bob\":1},\"messages\":{\"1\":\"hi\"}}"));
    List<JsonNode> deltas = bob.ofType("delta");
    assertThat(deltas.get(0).get("patch"))
        .isEqualTo(Json.parse("{\"members\":{\"bob\":null},\"messages\":null}"));
    assertThat(deltas.get(1).get("patch")).isEqualTo(Json.object());
  }

  @Test
  void shouldResumeAcrossAReadersChangeWithAResetSnapshot() {
    useMembersOnlyMessages();
    liveClient(6);
    emit(7);
    upstream.emit(DOC.toString(), Fakes.delta(8, "{\"members\":[\"bob\"],\"messages\":{}}"));
    emit(9);

    RecordingClient unaffected = new RecordingClient(Viewer.of("bob"));
    hub.subscribe(unaffected, DOC, 8L);
    RecordingClient resumed = new RecordingClient(Viewer.of("bob"));
    hub.subscribe(resumed, DOC, 7L);
    settle();

    assertThat(unaffected.ofType("snapshot")).isEmpty();
    assertThat(unaffected.deltaSeqs()).containsExactly(9L);
    assertThat(resumed.deltaSeqs()).isEmpty();
    JsonNode snapshot = resumed.ofType("snapshot").get(0);
    assertThat(snapshot.get("seq").asLong()).isEqualTo(9);
    assertThat(snapshot.get("reset").asBoolean()).isTrue();
    assertThat(snapshot.get("data").get("members")).isEqualTo(Json.parse("[\"bob\"]"));
  }

  @Test
  void shouldHoldTheUpstreamBackWhileTooManyFrameBytesAreOnTheirWayToSockets() throws Exception {
    RecordingClient client = liveClient(1);
    hub.handOff().framesHandedOff((int) HandOff.MAX_FRAME_BYTES + 1);

    CompletableFuture<Void> polled = CompletableFuture.runAsync(() -> emit(2));
    Thread.sleep(300);
    assertThat(polled).as("upstream waits while the sockets are behind").isNotDone();
    assertThat(client.deltaSeqs()).isEmpty();

    hub.handOff().framesTaken((int) HandOff.MAX_FRAME_BYTES + 1);
    polled.get(5, java.util.concurrent.TimeUnit.SECONDS);
    settle();
    assertThat(client.deltaSeqs()).containsExactly(2L);
  }

  @Test
  void shouldShareOneUpstreamWatchAndOneSnapshotPerDocument() {
    RecordingClient a = new RecordingClient(Viewer.of("alice"));
    RecordingClient b = new RecordingClient(Viewer.of("bob"));
    hub.subscribe(a, DOC, null);
    hub.subscribe(b, DOC, null);
    answerSnapshot(1, "{}");
    assertThat(reads.snapshots).isEmpty();
    assertThat(upstream.assigned).hasSize(1);

    hub.unsubscribe(a, DOC);
    settle();
    assertThat(upstream.assigned).hasSize(1);
    hub.disconnect(b);
    settle();
    assertThat(upstream.assigned).isEmpty();
  }

  @Test
  void shouldAckOnlyWhenTheDeltaCarryingTheIdIsRead() {
    RecordingClient client = new RecordingClient(Viewer.of("alice"));
    hub.send(client, DOC, "c1-1", Json.parse("{\"say\":\"hi\"}"));
    settle();
    assertThat(commands.sent).hasSize(1);
    assertThat(commands.sent.get(0).actor()).isEqualTo("alice");
    assertThat(commands.sent.get(0).id()).isEqualTo("c1-1");
    assertThat(commands.keys).containsExactly("chat/lobby");
    assertThat(client.frames).isEmpty();

    upstream.emit(DOC.toString(), Fakes.deltaBy("alice", 4, "{}", "other", "c1-1"));
    settle();

    assertThat(client.frames).hasSize(1);
    assertThat(client.frames.get(0))
        .isEqualTo(
            Json.parse("{\"type\":\"ack\",\"id\":\"c1-1\",\"doc\":\"chat/lobby\",\"seq\":4}"));
    assertThat(upstream.assigned).isEmpty();
  }

  @Test
  void shouldGiveEachActorTheOutcomeOfItsOwnMessageWhenTwoSendTheSameId() {
    RecordingClient alice = new RecordingClient(Viewer.of("alice"));
    RecordingClient bob = new RecordingClient(Viewer.of("bob"));
    hub.send(alice, DOC, "c1-1", Json.parse("{\"say\":\"a\"}"));
    hub.send(bob, DOC, "c1-1", Json.parse("{\"say\":\"b\"}"));
    settle();

    upstream.emit(DOC.toString(), Fakes.deltaBy("alice", 4, "{}", "c1-1"));
    settle();
    assertThat(alice.frames).hasSize(1);
    assertThat(alice.frames.get(0).get("seq").asLong()).isEqualTo(4);
    assertThat(bob.frames).as("alice's delta is not bob's ack").isEmpty();

    upstream.emit(
        new Upstream.RejectionEvent(
            DOC.toString(),
            new Rejection(
                "c1-1", ErrorCode.CHAT_TEXT_INVALID.code(), "too long", 0, null, "carol")));
    upstream.emit(DOC.toString(), Fakes.deltaBy("bob", 5, "{}", "c1-1"));
    settle();
    assertThat(bob.frames).hasSize(1);
    assertThat(bob.frames.get(0).get("type").asText()).isEqualTo("ack");
    assertThat(bob.frames.get(0).get("seq").asLong()).isEqualTo(5);
    assertThat(alice.frames).hasSize(1);
  }

  @Test
  void shouldProduceSendsInTheOrderTheyArrivedWhileTheDocumentIsBeingWatched() {
    upstream.adding = new CompletableFuture<>();
    RecordingClient client = new RecordingClient(Viewer.of("alice"));
    for (int i = 1; i <= 4; i++) {
      hub.send(client, DOC, "m" + i, Json.parse("{\"say\":\"" + i + "\"}"));
    }
    settle();
    assertThat(commands.sent).isEmpty();

    upstream.adding.complete(null);
    settle();

    assertThat(commands.sent).extracting(Command::id).containsExactly("m1", "m2", "m3", "m4");
  }

  @Test
  void shouldAckADuplicateWithTheSeqItWasAppliedAt() {
    RecordingClient client = new RecordingClient(Viewer.of("alice"));
    hub.send(client, DOC, "c1-1", Json.parse("{}"));
    settle();
    upstream.emit(
        new Upstream.RejectionEvent(
            DOC.toString(),
            new Rejection("c1-1", ErrorCode.DUPLICATE.code(), "dup", 0, 3L, "alice")));
    settle();

    assertThat(client.frames.get(0).get("type").asText()).isEqualTo("ack");
    assertThat(client.frames.get(0).get("seq").asLong()).isEqualTo(3);
  }

  @Test
  void shouldRejectWithTheRegistrysRetryFlag() {
    RecordingClient client = new RecordingClient(Viewer.of("alice"));
    hub.send(client, DOC, "c1-2", Json.parse("{}"));
    settle();
    upstream.emit(
        new Upstream.RejectionEvent(
            DOC.toString(),
            new Rejection(
                "c1-2", ErrorCode.CHAT_TEXT_INVALID.code(), "too long", 0, null, "alice")));
    settle();

    assertThat(client.frames.get(0))
        .isEqualTo(
            Json.parse(
                "{\"type\":\"reject\",\"id\":\"c1-2\",\"doc\":\"chat/lobby\",\"code\":4220,"
                    + "\"error\":\"too long\",\"retry\":false}"));
  }

  @Test
  void shouldRejectASendWithoutOutcomeAfterTheAckTimeout() throws Exception {
    hub.close();
    GatewayLimits d = GatewayLimits.defaults();
    hub =
        hub(
            new GatewayLimits(
                d.maxFrameBytes(),
                d.maxBacklogBytes(),
                d.maxOverflows(),
                d.overflowWindowMillis(),
                d.maxSubscriptions(),
                d.sendsPerSecond(),
                d.maxPendingSends(),
                100,
                d.historyDeltas(),
                d.snapshotTimeoutMillis()));
    RecordingClient client = new RecordingClient(Viewer.of("alice"));
    hub.send(client, DOC, "c1-3", Json.parse("{}"));
    Thread.sleep(300);
    settle();

    assertThat(client.frames).hasSize(1);
    assertThat(client.frames.get(0).get("code").asInt()).isEqualTo(ErrorCode.ACK_TIMEOUT.code());
    assertThat(client.frames.get(0).get("retry").asBoolean()).isTrue();
  }

  private static GatewayLimits withHistory(int deltas) {
    GatewayLimits d = GatewayLimits.defaults();
    return new GatewayLimits(
        d.maxFrameBytes(),
        d.maxBacklogBytes(),
        d.maxOverflows(),
        d.overflowWindowMillis(),
        d.maxSubscriptions(),
        d.sendsPerSecond(),
        d.maxPendingSends(),
        d.ackTimeoutMillis(),
        deltas,
        d.snapshotTimeoutMillis());
  }
}
