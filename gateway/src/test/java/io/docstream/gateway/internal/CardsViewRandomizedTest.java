package io.docstream.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.document.MergePatch;
import io.docstream.document.Nodes;
import io.docstream.document.TrackedDocument;
import io.docstream.gateway.GatewayLimits;
import io.docstream.gateway.SpacePolicies;
import io.docstream.gateway.Viewer;
import io.docstream.gateway.internal.Fakes.FakeCommands;
import io.docstream.gateway.internal.Fakes.FakeReads;
import io.docstream.gateway.internal.Fakes.FakeUpstream;
import io.docstream.gateway.internal.Fakes.RecordingClient;
import io.docstream.serdes.Delta;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.Json;
import io.docstream.spaces.Invocation;
import io.docstream.spaces.examples.CardsSpace;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Plays many cards games through the real {@link CardsSpace} logic and the hub, with players,
 * spectators, an anonymous viewer and late joiners, and inspects every frame every connection
 * receives: none ever holds another player's hand or the deck, and each connection's view, folded
 * from its frames, equals the true document as that viewer may see it.
 */
class CardsViewRandomizedTest {
  private static final int GAMES = 40;
  private static final int MOVES = 120;

  private final FakeUpstream upstream = new FakeUpstream();
  private final FakeReads reads = new FakeReads();
  private final SpacePolicies policies = SpacePolicies.defaults();
  private final Hub hub =
      new Hub(
          2,
          listener -> {
            upstream.listener = listener;
            return upstream;
          },
          reads,
          new FakeCommands(),
          policies,
          GatewayLimits.defaults(),
          new GatewayMetrics(new SimpleMeterRegistry()));

  @AfterEach
  void close() {
    hub.close();
  }

  private void settle() {
    for (int i = 0; i < 3; i++) {
      hub.barrier().join();
    }
  }

  @Test
  void shouldNeverShowAnotherPlayersHandOrTheDeck() {
    Random random = new Random(42);
    int frames = 0;
    for (int game = 0; game < GAMES; game++) {
      frames += playOneGame(new Random(random.nextLong()), DocKey.parse("cards/g-" + game));
    }
    assertThat(frames).isGreaterThan(GAMES * 20);
  }

  private int playOneGame(Random random, DocKey key) {
    String doc = key.toString();
    int players = 2 + random.nextInt(3);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < players; i++) {
      names.add("p" + i);
    }
    CardsSpace logic = new CardsSpace();
    logic.configure(Map.of());
    TrackedDocument state = new TrackedDocument(Nodes.object());
    List<ObjectNode> history = new ArrayList<>(); // state after each seq, index = seq
    history.add(state.root().deepCopy());
    Map<RecordingClient, Long> lateSnapshotSeq = new HashMap<>();

    List<RecordingClient> clients = new ArrayList<>();
    for (String name : names) {
      clients.add(new RecordingClient(Viewer.of(name)));
    }
    clients.add(new RecordingClient(Viewer.of("spectator")));
    clients.add(new RecordingClient(Viewer.ANONYMOUS));
    for (RecordingClient c : clients) {
      hub.subscribe(c, key, null);
    }
    settle();
    answerSnapshots(history, 0);

    long clock = 1_700_000_000_000L;
    long seq = 0;
    List<String> actors = new ArrayList<>(names);
    actors.add("stranger");
    List<String> script = new ArrayList<>();
    for (String n : names) {
      script.add(n + ":{\"op\":\"join\"}");
    }
    script.add(names.get(0) + ":{\"op\":\"start\"}");
    RecordingClient late = null;
    for (int move = 0; move < MOVES; move++) {
      String actor;
      String body;
      if (move < script.size()) {
        actor = script.get(move).substring(0, script.get(move).indexOf(':'));
        body = script.get(move).substring(script.get(move).indexOf(':') + 1);
      } else {
        actor = actors.get(random.nextInt(actors.size()));
        body = randomBody(random, state.root(), actor);
      }
      clock += 1000;
      boolean timer = body.contains("timeout");
      Invocation invocation =
          new Invocation(
              key,
              Json.parse(body),
              timer ? null : actor,
              clock,
              "m" + move,
              random.nextLong(),
              timer);
      ObjectNode patch;
      try {
        logic.apply(invocation, state);
        patch = state.commit();
      } catch (RuntimeException rejected) {
        state.rollback();
        continue;
      }
      seq++;
      history.add(state.root().deepCopy());
      upstream.emit(doc, new Delta(seq, patch, List.of("m" + move), clock, null, null));
      if (move == MOVES / 2) {
        late = new RecordingClient(Viewer.of(names.get(1)));
        hub.subscribe(late, key, null);
        settle();
        lateSnapshotSeq.put(late, seq); // answered a few deltas later, from the state at seq
      }
      if (late != null && move == MOVES / 2 + 5) {
        settle();
        answerSnapshots(history, lateSnapshotSeq.get(late));
        clients.add(late);
      }
    }
    settle();
    int count = 0;
    for (RecordingClient c : clients) {
      count += c.frames.size();
      check(c, key, state.root());
      hub.disconnect(c);
    }
    settle();
    return count;
  }

  private void answerSnapshots(List<ObjectNode> history, long seq) {
    Iterator<java.util.concurrent.CompletableFuture<ReadApiClient.Snapshot>> it =
        reads.snapshots.iterator();
    while (it.hasNext()) {
      it.next().complete(new ReadApiClient.Snapshot(seq, history.get((int) seq).deepCopy(), null));
      it.remove();
    }
    settle();
  }

  private static String randomBody(Random random, ObjectNode root, String actor) {
    int pick = random.nextInt(10);
    if (pick < 5) {
      JsonNode hand = root.path("hands").path(actor);
      List<String> cards = new ArrayList<>();
      hand.fieldNames().forEachRemaining(cards::add);
      String card = cards.isEmpty() ? "AS" : cards.get(random.nextInt(cards.size()));
      return "{\"op\":\"play\",\"card\":\"" + card + "\"}";
    }
    if (pick < 8) {
      return "{\"op\":\"draw\"}";
    }
    if (pick < 9) {
      return "{\"op\":\"timeout\",\"turnNo\":" + root.path("turnNo").asLong() + "}";
    }
    return "{\"op\":\"start\"}";
  }

  /** Inspects every frame of one connection, then compares its folded view with the truth. */
  private void check(RecordingClient client, DocKey key, ObjectNode truth) {
    String viewer = client.viewer().id();
    ObjectNode view = null;
    long seq = -1;
    for (JsonNode frame : client.frames) {
      String type = frame.get("type").asText();
      JsonNode payload = type.equals("snapshot") ? frame.get("data") : frame.get("patch");
      assertThat(payload.has("deck")).as("deck in %s to %s", frame, viewer).isFalse();
      payload
          .path("hands")
          .fieldNames()
          .forEachRemaining(
              owner ->
                  assertThat(owner)
                      .as("hand of %s in a frame to %s: %s", owner, viewer, frame)
                      .isEqualTo(viewer));
      if (type.equals("snapshot")) {
        view = ((ObjectNode) payload).deepCopy();
        seq = frame.get("seq").asLong();
      } else {
        assertThat(frame.get("seq").asLong()).as("seq after %s", seq).isEqualTo(seq + 1);
        view = (ObjectNode) MergePatch.apply(view, payload);
        seq++;
      }
    }
    // Reparsed so that numbers compare by value (logic writes longs, the parser reads ints).
    assertThat(Json.parse(Json.text(view)))
        .as("view of %s", viewer)
        .isEqualTo(
            Json.parse(Json.text(policies.view(key.space()).filter(truth, client.viewer()))));
  }
}
