package io.docstream.spaces.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.document.Document;
import io.docstream.serdes.ErrorCode;
import io.docstream.spaces.MessageContext;
import io.docstream.spaces.SpaceLogic;
import io.docstream.spaces.internal.Bodies;
import io.docstream.spaces.internal.Options;
import java.util.Map;
import java.util.Set;

/**
 * A card game for 2-4 players with private hands and a turn timer.
 *
 * <p>Rules: players join, then any player starts; each gets {@code handSize} cards (option, default
 * 5) from a shuffled 52-card deck and one card is turned onto the table. On their turn a player
 * either plays a card of the table card's suit or rank (the old table card goes back into the
 * deck), or draws a random card from the deck; either way the turn passes to the next seat. A turn
 * lasts {@code turnMillis} (option, default 30000): then a timer passes it on. The first player to
 * empty their hand wins; {@code start} then deals a new game to the same players and any who joined
 * since.
 *
 * <p>Messages (the actor is the player):
 *
 * <pre>
 * {"op": "join"}                 CARDS_ALREADY_STARTED, CARDS_GAME_FULL; ACTOR_REQUIRED without actor
 * {"op": "start"}                CARDS_NOT_A_PLAYER, CARDS_ALREADY_STARTED, CARDS_NEED_PLAYERS
 * {"op": "play", "card": "10H"}  CARDS_NOT_STARTED, CARDS_GAME_OVER, CARDS_NOT_A_PLAYER,
 *                                CARDS_NOT_YOUR_TURN, CARDS_NOT_IN_HAND, CARDS_CARD_DOES_NOT_MATCH
 * {"op": "draw"}                 as play, without the last two
 * {"op": "timeout", "turnNo": 7} sent only by the turn timer (else BODY_INVALID); a no-op when
 *                                turn 7 has already ended
 * </pre>
 *
 * <p>Cards are ids: rank {@code A 2-10 J Q K} then suit {@code S H D C}, e.g. {@code "QS"}.
 *
 * <p>Document. Public to every viewer:
 *
 * <pre>
 * /status           "open" (absent), "playing" or "over"
 * /players/{id}     seat number, 0-based, in joining order
 * /turn             the id of the player whose turn it is (while playing)
 * /turnNo           counts turns, never goes back, across games
 * /table            the card on the table
 * /counts/{id}      the number of cards in each hand
 * /deckCount        the number of cards in the deck
 * /winner           the id of the winner (when over)
 * </pre>
 *
 * <p>Private, and exactly these paths, so that a gateway can hide them per viewer: {@code
 * /hands/{id}} (members {@code {card}: true}) is visible only to the viewer whose id is {@code id};
 * {@code /deck} (members {@code {card}: true}; draw order is random at draw time) is visible to no
 * client.
 *
 * <p>Every card is always in exactly one place: one hand, the deck or the table.
 */
public final class CardsSpace implements SpaceLogic {
  public static final long DEFAULT_TURN_MILLIS = 30_000;
  public static final int DEFAULT_HAND_SIZE = 5;

  private static final Map<String, Set<String>> FIELDS =
      Map.of(
          "join", Set.of("op"),
          "start", Set.of("op"),
          "play", Set.of("op", "card"),
          "draw", Set.of("op"),
          "timeout", Set.of("op", "turnNo"));

  private long turnMillis = DEFAULT_TURN_MILLIS;
  private int handSize = DEFAULT_HAND_SIZE;

  @Override
  public void configure(Map<String, String> options) {
    Options read = Options.of(options, Set.of("turnMillis", "handSize"));
    turnMillis = read.longValue("turnMillis", DEFAULT_TURN_MILLIS, 1, 86_400_000);
    // Four full hands and the table card must fit in the 52 cards.
    handSize = read.intValue("handSize", DEFAULT_HAND_SIZE, 1, 12);
  }

  @Override
  public void apply(MessageContext ctx, Document doc) {
    JsonNode body = ctx.body();
    String op = Bodies.op(body, FIELDS);
    CardsGame game = new CardsGame(ctx, doc, turnMillis, handSize);
    switch (op) {
      case "join" -> game.join();
      case "start" -> game.start();
      case "play" -> game.play(Bodies.text(body, "card"));
      case "draw" -> game.draw();
      case "timeout" -> game.timeout(turnNo(ctx));
      default -> throw new IllegalStateException("op without a case: " + op);
    }
  }

  private static long turnNo(MessageContext ctx) {
    if (!ctx.fromTimer()) {
      throw ctx.reject(ErrorCode.BODY_INVALID, "timeout is sent by the turn timer only");
    }
    JsonNode turnNo = ctx.body().get("turnNo");
    if (turnNo == null || !turnNo.canConvertToExactIntegral() || !turnNo.canConvertToLong()) {
      throw ctx.reject(ErrorCode.BODY_INVALID, "timeout needs an integer turnNo");
    }
    return turnNo.asLong();
  }
}
