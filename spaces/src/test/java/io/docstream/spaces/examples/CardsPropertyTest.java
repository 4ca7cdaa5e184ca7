package io.docstream.spaces.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.spaces.SpaceFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Random messages from random actors, in any order, never lose or duplicate a card, keep the public
 * counts equal to the private hands, and change nothing when rejected.
 */
class CardsPropertyTest {
  private static final int MAX_MOVES = 200;
  private static final List<String> ACTORS = List.of("alice", "bob", "carol", "dave", "erin");

  enum Kind {
    JOIN,
    START,
    PLAY_OWN,
    PLAY_ANY,
    DRAW,
    TIMER,
    CLIENT_TIMEOUT
  }

  /**
   * One message and who sends it: actor 0 is whoever's turn it is (so games move on), 1 to 5 one of
   * ACTORS, 6 nobody. {@code pick} chooses a card or an old turn number.
   */
  record Move(Kind kind, int actor, int pick) {}

  @Provide
  Arbitrary<List<Move>> moves() {
    Arbitrary<Kind> kinds =
        Arbitraries.frequencyOf(
            Tuple.of(10, Arbitraries.just(Kind.JOIN)),
            Tuple.of(5, Arbitraries.just(Kind.START)),
            Tuple.of(50, Arbitraries.just(Kind.PLAY_OWN)),
            Tuple.of(5, Arbitraries.just(Kind.PLAY_ANY)),
            Tuple.of(10, Arbitraries.just(Kind.DRAW)),
            Tuple.of(10, Arbitraries.just(Kind.TIMER)),
            Tuple.of(2, Arbitraries.just(Kind.CLIENT_TIMEOUT)));
    Arbitrary<Integer> actors =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.just(0)),
            Tuple.of(4, Arbitraries.integers().between(1, ACTORS.size() + 1)));
    Arbitrary<Integer> picks = Arbitraries.integers().between(0, 1000);
    return Combinators.combine(kinds, actors, picks)
        .as(Move::new)
        .list()
        .ofMaxSize(MAX_MOVES)
        .withSizeDistribution(RandomDistribution.uniform()); // by default most lists are short
  }

  // Edge cases would be most of the tries and all of them short games; the small int ranges get
  // their extremes often enough at random.
  @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
  void cardsAreNeverInTwoPlacesAndCountsFollowHands(
      @ForAll("moves") List<Move> moves,
      @ForAll @IntRange(min = 0, max = 4) int seated,
      @ForAll @IntRange(min = 1, max = 12) int handSize,
      @ForAll long seed) {
    CardsSpace logic = new CardsSpace();
    logic.configure(Map.of("handSize", Integer.toString(handSize)));
    SpaceFixture game = new SpaceFixture("cards/prop", logic, seed);
    // Most runs begin with a dealt game, so that the random moves are mostly turns.
    for (String player : ACTORS.subList(0, seated)) {
      game.send(player, "{\"op\":\"join\"}");
    }
    if (seated >= CardsGame.MIN_PLAYERS) {
      game.send(ACTORS.get(0), "{\"op\":\"start\"}");
    }

    boolean won = false;
    for (Move move : moves) {
      String actor = actor(game, move.actor());
      JsonNode before = game.root().deepCopy();
      try {
        apply(game, move, actor);
      } catch (DocstreamException e) {
        assertThat(e.code()).as("%s", e).isNotEqualTo(ErrorCode.LOGIC_FAILED.code());
        assertThat(game.root()).as("rejected %s", move).isEqualTo(before);
      }
      CardsInvariants.check(game.root());
      won |= game.root().has("winner");
    }
    Statistics.label("games dealt").collect(game.root().path("turnNo").asLong() > 0);
    Statistics.label("games won").collect(won);
  }

  private static void apply(SpaceFixture game, Move move, String actor) {
    switch (move.kind()) {
      case JOIN -> game.send(actor, "{\"op\":\"join\"}");
      case START -> game.send(actor, "{\"op\":\"start\"}");
      case PLAY_OWN -> game.send(actor, play(ownCard(game, actor, move.pick())));
      case PLAY_ANY -> game.send(actor, play(Card.deck().get(move.pick() % 52).id()));
      case DRAW -> game.send(actor, "{\"op\":\"draw\"}");
      case TIMER -> {
        // Mostly the running turn; sometimes an old one, as a timer that lost a race would be.
        long turnNo = game.at("/turnNo") == null ? 1 : game.at("/turnNo").asLong();
        game.fire(Json.object().put("op", "timeout").put("turnNo", turnNo - move.pick() % 3));
      }
      case CLIENT_TIMEOUT -> game.send(actor, "{\"op\":\"timeout\",\"turnNo\":1}");
    }
  }

  private static String actor(SpaceFixture game, int index) {
    if (index == 0) {
      JsonNode turn = game.at("/turn");
      return turn != null ? turn.textValue() : ACTORS.get(game.root().path("players").size() % 2);
    }
    return index <= ACTORS.size() ? ACTORS.get(index - 1) : null;
  }

  /** A card of the actor's hand, a playable one when there is one, or "AS" when none. */
  private static String ownCard(SpaceFixture game, String actor, int pick) {
    JsonNode hand = actor == null ? null : game.at("/hands/" + actor);
    if (hand == null || hand.isEmpty()) {
      return "AS";
    }
    Card table = Card.parse(game.at("/table").textValue()).orElseThrow();
    List<String> all = new ArrayList<>();
    hand.fieldNames().forEachRemaining(all::add);
    List<String> playable =
        all.stream().filter(id -> Card.parse(id).orElseThrow().playableOn(table)).toList();
    List<String> from = playable.isEmpty() ? all : playable;
    return from.get(pick % from.size());
  }

  private static String play(String card) {
    return "{\"op\":\"play\",\"card\":\"" + card + "\"}";
  }
}
