package io.docstream.spaces.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.DocstreamException;
import io.docstream.spaces.SpaceFixture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replaying the same messages with the same seeds must give the same deltas, deal included. */
class CardsDeterminismTest {
  private static final String[] PLAYERS = {"alice", "bob", "carol"};

  /** Joins, starts, then has the player whose turn it is draw or play a matching card. */
  private static List<String> play(long firstSeed) {
    SpaceFixture game = new SpaceFixture("cards/replay", new CardsSpace(), firstSeed);
    List<String> deltas = new ArrayList<>();
    for (String player : PLAYERS) {
      deltas.add(game.send(player, "{\"op\":\"join\"}").toString());
    }
    deltas.add(game.send("carol", "{\"op\":\"start\"}").toString());
    for (int i = 0; i < 30 && "playing".equals(game.at("/status").asText()); i++) {
      String turn = game.at("/turn").textValue();
      deltas.add(playOrDraw(game, turn).toString());
      deltas.add(game.timers().toString());
    }
    return deltas;
  }

  private static JsonNode playOrDraw(SpaceFixture game, String player) {
    for (var it = game.at("/hands/" + player).fieldNames(); it.hasNext(); ) {
      String card = it.next();
      try {
        return game.send(player, "{\"op\":\"play\",\"card\":\"" + card + "\"}");
      } catch (DocstreamException e) {
        // not playable on the table card; try the next one
      }
    }
    return game.send(player, "{\"op\":\"draw\"}");
  }

  @Test
  void shouldProduceIdenticalDeltasForTheSameMessagesAndSeeds() {
    List<String> first = play(7);
    List<String> second = play(7);

    assertThat(first).hasSizeGreaterThan(10);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void shouldDealDifferentlyForDifferentSeeds() {
    assertThat(play(7).get(PLAYERS.length)).isNotEqualTo(play(8).get(PLAYERS.length));
  }
}
