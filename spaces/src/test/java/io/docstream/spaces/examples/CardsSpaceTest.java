package io.docstream.spaces.examples;

import static io.docstream.spaces.SpaceFixture.assertJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.spaces.SpaceFixture;
import io.docstream.spaces.TimerRequest;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Lobby and deal: joining, starting, what is dealt where, and which paths hold secrets. */
class CardsSpaceTest {
  private final SpaceFixture game = new SpaceFixture("cards/t1", new CardsSpace());

  private void joinAll(String... players) {
    for (String player : players) {
      game.send(player, "{\"op\":\"join\"}");
    }
  }

  @Test
  void shouldSeatPlayersInJoiningOrder() {
    assertJson(game.send("alice", "{\"op\":\"join\"}"), "{\"players\":{\"alice\":0}}");
    assertJson(game.send("bob", "{\"op\":\"join\"}"), "{\"players\":{\"bob\":1}}");
    assertThat(game.send("alice", "{\"op\":\"join\"}")).as("joining twice").isEmpty();
  }

  @Test
  void shouldRefuseAFifthPlayerOrAnAnonymousOne() {
    joinAll("a", "b", "c", "d");

    game.reject("e", "{\"op\":\"join\"}", ErrorCode.CARDS_GAME_FULL);
    game.reject(null, "{\"op\":\"join\"}", ErrorCode.ACTOR_REQUIRED);
  }

  @Test
  void shouldNeedTwoPlayersAndAPlayerToStart() {
    game.reject("alice", "{\"op\":\"start\"}", ErrorCode.CARDS_NOT_A_PLAYER);
    joinAll("alice");
    game.reject("alice", "{\"op\":\"start\"}", ErrorCode.CARDS_NEED_PLAYERS);
    joinAll("bob");
    game.reject("carol", "{\"op\":\"start\"}", ErrorCode.CARDS_NOT_A_PLAYER);
    game.reject(null, "{\"op\":\"start\"}", ErrorCode.CARDS_NOT_A_PLAYER);
  }

  @Test
  void shouldDealPrivateHandsAndGiveTheFirstTurnToSeatZero() {
    joinAll("alice", "bob", "carol");

    game.send("bob", "{\"op\":\"start\"}");

    assertThat(game.at("/status").textValue()).isEqualTo("playing");
    for (String player : new String[] {"alice", "bob", "carol"}) {
      assertThat(game.at("/hands/" + player).size()).isEqualTo(CardsSpace.DEFAULT_HAND_SIZE);
      assertThat(game.at("/counts/" + player).asInt()).isEqualTo(CardsSpace.DEFAULT_HAND_SIZE);
    }
    assertThat(game.at("/deckCount").asInt()).isEqualTo(52 - 3 * 5 - 1);
    assertThat(game.at("/turn").textValue()).isEqualTo("alice");
    assertThat(game.at("/turnNo").asLong()).isEqualTo(1);
    assertThat(game.timers())
        .containsExactly(
            new TimerRequest.Schedule(
                "turn",
                game.lastTimestampMillis() + CardsSpace.DEFAULT_TURN_MILLIS,
                Json.object().put("op", "timeout").put("turnNo", 1L)));
    CardsInvariants.check(game.root());
  }

  @Test
  void shouldKeepEverySecretCardUnderHandsOrDeck() {
    joinAll("alice", "bob");
    game.send("alice", "{\"op\":\"start\"}");

    ObjectNode visible = game.root().deepCopy();
    visible.remove(Set.of("hands", "deck"));

    String table = game.at("/table").textValue();
    for (Card card : Card.deck()) {
      if (!card.id().equals(table)) {
        assertThat(visible.toString()).doesNotContain("\"" + card.id() + "\"");
      }
    }
    assertThat(game.root().fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder(
            "status", "players", "turn", "turnNo", "table", "counts", "deckCount", "hands", "deck");
  }

  @Test
  void shouldHonourTheHandSizeAndTurnOptions() {
    CardsSpace logic = new CardsSpace();
    logic.configure(Map.of("handSize", "2", "turnMillis", "1500"));
    SpaceFixture small = new SpaceFixture("cards/small", logic);
    small.send("alice", "{\"op\":\"join\"}");
    small.send("bob", "{\"op\":\"join\"}");

    small.send("alice", "{\"op\":\"start\"}");

    assertThat(small.at("/hands/alice").size()).isEqualTo(2);
    assertThat(small.at("/deckCount").asInt()).isEqualTo(52 - 2 * 2 - 1);
    assertThat(((TimerRequest.Schedule) small.timers().get(0)).fireAtMillis())
        .isEqualTo(small.lastTimestampMillis() + 1500);
  }

  @Test
  void shouldRefuseToStartOrJoinARunningGame() {
    joinAll("alice", "bob");
    game.send("alice", "{\"op\":\"start\"}");

    game.reject("bob", "{\"op\":\"start\"}", ErrorCode.CARDS_ALREADY_STARTED);
    game.reject("carol", "{\"op\":\"join\"}", ErrorCode.CARDS_ALREADY_STARTED);
    assertThat(game.send("bob", "{\"op\":\"join\"}")).as("a player joining again").isEmpty();
  }

  @Test
  void shouldRejectUnknownOpsAndExtraFields() {
    joinAll("alice");

    game.reject("alice", "{\"op\":\"shuffle\"}", ErrorCode.BODY_INVALID);
    game.reject("alice", "{\"op\":\"join\",\"seat\":2}", ErrorCode.BODY_INVALID);
    game.reject("alice", "{\"card\":\"QS\"}", ErrorCode.BODY_INVALID);
    game.reject("alice", "[\"join\"]", ErrorCode.BODY_INVALID);
  }
}
