package io.docstream.spaces.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What must hold of a cards document after every message, whatever the messages were. */
final class CardsInvariants {
  private static final Set<String> ALL_CARDS =
      Card.deck().stream().map(Card::id).collect(Collectors.toSet());

  private CardsInvariants() {}

  static void check(JsonNode root) {
    JsonNode players = root.path("players");
    assertThat(players.size()).isLessThanOrEqualTo(CardsGame.MAX_PLAYERS);
    Set<Integer> seats = new HashSet<>();
    players.forEach(seat -> seats.add(seat.asInt()));
    assertThat(seats).hasSize(players.size()).allMatch(s -> s >= 0 && s < players.size());

    if (!root.has("table")) {
      assertThat(root.has("hands")).as("hands before any deal").isFalse();
      assertThat(root.has("deck")).as("deck before any deal").isFalse();
      return;
    }
    List<String> everywhere = new ArrayList<>();
    everywhere.add(root.get("table").textValue());
    root.path("deck").fieldNames().forEachRemaining(everywhere::add);
    assertThat(root.get("deckCount").asInt()).isEqualTo(root.path("deck").size());
    for (Map.Entry<String, JsonNode> hand : root.path("hands").properties()) {
      assertThat(players.has(hand.getKey())).as("hand of a non-player").isTrue();
      assertThat(root.path("counts").path(hand.getKey()).asInt())
          .as("count of %s", hand.getKey())
          .isEqualTo(hand.getValue().size());
      hand.getValue().fieldNames().forEachRemaining(everywhere::add);
    }
    Set<String> seen = new HashSet<>();
    assertThat(everywhere.stream().filter(id -> !seen.add(id)).toList())
        .as("cards in two places")
        .isEmpty();
    assertThat(seen).as("every card somewhere").isEqualTo(ALL_CARDS);

    String status = root.path("status").asText(CardsGame.OPEN);
    if (status.equals(CardsGame.PLAYING)) {
      assertThat(players.has(root.path("turn").asText())).as("turn belongs to a player").isTrue();
      assertThat(root.has("winner")).isFalse();
    }
    if (status.equals(CardsGame.OVER)) {
      assertThat(root.has("turn")).isFalse();
      assertThat(root.path("counts").path(root.path("winner").asText()).asInt()).isZero();
    }
  }
}
