package io.docstream.spaces.examples;

import static io.docstream.spaces.SpaceFixture.assertJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.spaces.SpaceFixture;
import io.docstream.spaces.TimerRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Playing, drawing, winning and the turn timer, from a known deal. */
class CardsTurnsTest {
  private final SpaceFixture game = new SpaceFixture("cards/t1", new CardsSpace());

  /** Alice, bob and carol have started; it is alice's turn (turn 1) with these cards. */
  @BeforeEach
  void dealt() {
    for (String player : new String[] {"alice", "bob", "carol"}) {
      game.send(player, "{\"op\":\"join\"}");
    }
    game.send("alice", "{\"op\":\"start\"}");
    given("5S", "3S 5H KD", "7C", "9C", "2D");
  }

  private void given(String table, String alice, String bob, String carol, String deck) {
    game.given("/hands", "{}");
    String[] hands = {alice, bob, carol};
    String[] players = {"alice", "bob", "carol"};
    for (int i = 0; i < players.length; i++) {
      ObjectNode hand = cards(hands[i]);
      game.given("/hands/" + players[i], hand.toString());
      game.given("/counts/" + players[i], Integer.toString(hand.size()));
    }
    ObjectNode cards = cards(deck);
    game.given("/deck", cards.toString());
    game.given("/deckCount", Integer.toString(cards.size()));
    game.given("/table", "\"" + table + "\"");
  }

  private static ObjectNode cards(String ids) {
    ObjectNode cards = Json.object();
    for (String id : ids.isBlank() ? new String[0] : ids.split(" ")) {
      cards.put(id, true);
    }
    return cards;
  }

  private static TimerRequest turnTimer(long firesAt, long turnNo) {
    return new TimerRequest.Schedule(
        "turn", firesAt, Json.object().put("op", "timeout").put("turnNo", turnNo));
  }

  @Test
  void shouldPlayACardOfTheSameSuitAndPassTheTurn() {
    var delta = game.send("alice", "{\"op\":\"play\",\"card\":\"3S\"}");

    assertJson(
        delta,
        "{\"hands\":{\"alice\":{\"3S\":null}},\"deck\":{\"5S\":true},\"deckCount\":2,"
            + "\"table\":\"3S\",\"counts\":{\"alice\":2},\"turn\":\"bob\",\"turnNo\":2}");
    assertThat(game.timers())
        .containsExactly(turnTimer(game.lastTimestampMillis() + CardsSpace.DEFAULT_TURN_MILLIS, 2));
  }

  @Test
  void shouldPlayACardOfTheSameRank() {
    game.send("alice", "{\"op\":\"play\",\"card\":\"5H\"}");

    assertThat(game.at("/table").textValue()).isEqualTo("5H");
  }

  @Test
  void shouldPassTheTurnFromTheLastSeatToTheFirst() {
    game.send("alice", "{\"op\":\"draw\"}");
    game.send("bob", "{\"op\":\"draw\"}");

    game.send("carol", "{\"op\":\"draw\"}");

    assertThat(game.at("/turn").textValue()).isEqualTo("alice");
    assertThat(game.at("/turnNo").asLong()).isEqualTo(4);
  }

  @Test
  void shouldRejectACardThatMatchesNeitherSuitNorRank() {
    game.reject("alice", "{\"op\":\"play\",\"card\":\"KD\"}", ErrorCode.CARDS_CARD_DOES_NOT_MATCH);
  }

  @Test
  void shouldRejectPlaysOutOfTurnOrOfCardsNotHeld() {
    game.reject("alice", "{\"op\":\"play\",\"card\":\"7C\"}", ErrorCode.CARDS_NOT_IN_HAND);
    game.reject("alice", "{\"op\":\"play\",\"card\":\"ZZ\"}", ErrorCode.CARDS_NOT_IN_HAND);
    game.reject("bob", "{\"op\":\"play\",\"card\":\"7C\"}", ErrorCode.CARDS_NOT_YOUR_TURN);
    game.reject("bob", "{\"op\":\"draw\"}", ErrorCode.CARDS_NOT_YOUR_TURN);
    game.reject("dave", "{\"op\":\"play\",\"card\":\"3S\"}", ErrorCode.CARDS_NOT_A_PLAYER);
    game.reject(null, "{\"op\":\"draw\"}", ErrorCode.CARDS_NOT_A_PLAYER);
    game.reject("alice", "{\"op\":\"play\"}", ErrorCode.BODY_INVALID);
    game.reject("alice", "{\"op\":\"play\",\"card\":3}", ErrorCode.BODY_INVALID);
  }

  @Test
  void shouldRejectPlayBeforeTheGameStarts() {
    SpaceFixture fresh = new SpaceFixture("cards/t2", new CardsSpace());
    fresh.send("alice", "{\"op\":\"join\"}");

    fresh.reject("alice", "{\"op\":\"play\",\"card\":\"3S\"}", ErrorCode.CARDS_NOT_STARTED);
    fresh.reject("alice", "{\"op\":\"draw\"}", ErrorCode.CARDS_NOT_STARTED);
  }

  @Test
  void shouldDrawFromTheDeckAndPassTheTurn() {
    var delta = game.send("alice", "{\"op\":\"draw\"}");

    assertJson(
        delta,
        "{\"deck\":{\"2D\":null},\"deckCount\":0,\"hands\":{\"alice\":{\"2D\":true}},"
            + "\"counts\":{\"alice\":4},\"turn\":\"bob\",\"turnNo\":2}");
  }

  @Test
  void shouldOnlyPassTheTurnWhenTheDeckIsEmpty() {
    game.send("alice", "{\"op\":\"draw\"}");

    assertJson(game.send("bob", "{\"op\":\"draw\"}"), "{\"turn\":\"carol\",\"turnNo\":3}");
  }

  @Test
  void shouldEndTheGameWhenAHandEmpties() {
    given("5S", "3S", "7C", "9C", "2D");

    var delta = game.send("alice", "{\"op\":\"play\",\"card\":\"3S\"}");

    assertJson(
        delta,
        "{\"hands\":{\"alice\":{\"3S\":null}},\"deck\":{\"5S\":true},\"deckCount\":2,"
            + "\"table\":\"3S\",\"counts\":{\"alice\":0},\"winner\":\"alice\","
            + "\"status\":\"over\",\"turn\":null}");
    assertThat(game.timers()).containsExactly(new TimerRequest.Cancel("turn"));
    game.reject("bob", "{\"op\":\"play\",\"card\":\"7C\"}", ErrorCode.CARDS_GAME_OVER);
    game.reject("bob", "{\"op\":\"draw\"}", ErrorCode.CARDS_GAME_OVER);
  }

  @Test
  void shouldDealANewGameAfterTheLastOneEnded() {
    given("5S", "3S", "7C", "9C", "2D");
    game.send("alice", "{\"op\":\"play\",\"card\":\"3S\"}");
    game.send("dave", "{\"op\":\"join\"}");

    game.send("carol", "{\"op\":\"start\"}");

    assertThat(game.at("/status").textValue()).isEqualTo("playing");
    assertThat(game.at("/winner")).isNull();
    assertThat(game.at("/hands").size()).isEqualTo(4);
    assertThat(game.at("/turnNo").asLong()).as("turn numbers never go back").isEqualTo(2);
    // A full deal again: every card in one place, none left over from the last game.
    CardsInvariants.check(game.root());
  }

  @Test
  void shouldPassTheTurnWhenItsTimerFires() {
    var delta = game.fire(Json.parse("{\"op\":\"timeout\",\"turnNo\":1}"));

    assertJson(delta, "{\"turn\":\"bob\",\"turnNo\":2}");
    assertThat(game.timers())
        .containsExactly(turnTimer(game.lastTimestampMillis() + CardsSpace.DEFAULT_TURN_MILLIS, 2));
  }

  @Test
  void shouldIgnoreATimerWhoseTurnAlreadyEnded() {
    game.send("alice", "{\"op\":\"draw\"}");

    assertThat(game.fire(Json.parse("{\"op\":\"timeout\",\"turnNo\":1}"))).isEmpty();
    assertThat(game.timers()).isEmpty();
    assertThat(game.at("/turn").textValue()).isEqualTo("bob");
  }

  @Test
  void shouldIgnoreATimerAfterTheGameEnded() {
    given("5S", "3S", "7C", "9C", "2D");
    game.send("alice", "{\"op\":\"play\",\"card\":\"3S\"}");

    assertThat(game.fire(Json.parse("{\"op\":\"timeout\",\"turnNo\":1}"))).isEmpty();
  }

  @Test
  void shouldRefuseATimeoutSentByAClientOrWithoutTurnNo() {
    game.reject("alice", "{\"op\":\"timeout\",\"turnNo\":1}", ErrorCode.BODY_INVALID);
    game.rejectAny(null, Json.parse("{\"op\":\"timeout\"}"), true, ErrorCode.BODY_INVALID);
    game.rejectAny(
        null, Json.parse("{\"op\":\"timeout\",\"turnNo\":\"1\"}"), true, ErrorCode.BODY_INVALID);
  }
}
