package io.docstream.spaces.examples;

import static io.docstream.spaces.internal.Pointers.pointer;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.document.Document;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.spaces.MessageContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The rules of the {@code cards} space, applied to one document for one message. {@link CardsSpace}
 * describes the game and the document layout. Every check runs before the first write.
 */
final class CardsGame {
  static final int MIN_PLAYERS = 2;
  static final int MAX_PLAYERS = 4;
  static final String TURN_TIMER = "turn";
  static final String OPEN = "open";
  static final String PLAYING = "playing";
  static final String OVER = "over";

  private final MessageContext ctx;
  private final Document doc;
  private final long turnMillis;
  private final int handSize;

  CardsGame(MessageContext ctx, Document doc, long turnMillis, int handSize) {
    this.ctx = ctx;
    this.doc = doc;
    this.turnMillis = turnMillis;
    this.handSize = handSize;
  }

  /** The actor takes the next seat; joining twice changes nothing. */
  void join() {
    String actor = ctx.actor();
    if (actor == null) {
      throw ctx.reject(ErrorCode.ACTOR_REQUIRED, "joining needs an actor");
    }
    if (doc.has(pointer("players", actor))) {
      return;
    }
    if (PLAYING.equals(status())) {
      throw ctx.reject(ErrorCode.CARDS_ALREADY_STARTED, "the game is running; join the next one");
    }
    int seats = players().size();
    if (seats >= MAX_PLAYERS) {
      throw ctx.reject(ErrorCode.CARDS_GAME_FULL, "the game has " + MAX_PLAYERS + " players");
    }
    doc.set(pointer("players", actor), Json.NODES.numberNode(seats));
  }

  /** Shuffles, deals and gives the first turn to seat 0; after a finished game, deals anew. */
  void start() {
    requirePlayer();
    if (PLAYING.equals(status())) {
      throw ctx.reject(ErrorCode.CARDS_ALREADY_STARTED, "the game is already running");
    }
    List<String> players = players();
    if (players.size() < MIN_PLAYERS) {
      throw ctx.reject(
          ErrorCode.CARDS_NEED_PLAYERS,
          "a game needs " + MIN_PLAYERS + "-" + MAX_PLAYERS + " players");
    }
    doc.remove("/hands");
    doc.remove("/deck");
    doc.remove("/winner");
    List<Card> cards = shuffled(Card.deck(), ctx.random());
    int next = 0;
    for (int round = 0; round < handSize; round++) {
      for (String player : players) {
        doc.set(pointer("hands", player, cards.get(next++).id()), Json.NODES.booleanNode(true));
      }
    }
    for (String player : players) {
      doc.set(pointer("counts", player), Json.NODES.numberNode(handSize));
    }
    doc.set("/table", Json.NODES.textNode(cards.get(next++).id()));
    for (Card card : cards.subList(next, cards.size())) {
      doc.set(pointer("deck", card.id()), Json.NODES.booleanNode(true));
    }
    doc.set("/deckCount", Json.NODES.numberNode(cards.size() - next));
    doc.set("/status", Json.NODES.textNode(PLAYING));
    beginTurn(players.get(0));
  }

  /** The actor plays a card of the table card's suit or rank; the old table card joins the deck. */
  void play(String cardId) {
    String actor = requireTurn();
    String inHand = pointer("hands", actor, cardId);
    if (!doc.has(inHand)) {
      throw ctx.reject(ErrorCode.CARDS_NOT_IN_HAND, "you do not hold " + abbreviate(cardId));
    }
    Card card = card(cardId);
    Card table = card(doc.get("/table").textValue());
    if (!card.playableOn(table)) {
      throw ctx.reject(
          ErrorCode.CARDS_CARD_DOES_NOT_MATCH,
          cardId + " does not match " + table.id() + ": play its suit or rank, or draw");
    }
    doc.remove(inHand);
    doc.set(pointer("deck", table.id()), Json.NODES.booleanNode(true));
    doc.set("/deckCount", Json.NODES.numberNode(deckCount() + 1));
    doc.set("/table", Json.NODES.textNode(cardId));
    int left = handCount(actor) - 1;
    doc.set(pointer("counts", actor), Json.NODES.numberNode(left));
    if (left == 0) {
      doc.set("/winner", Json.NODES.textNode(actor));
      doc.set("/status", Json.NODES.textNode(OVER));
      doc.remove("/turn");
      ctx.cancel(TURN_TIMER);
    } else {
      passTurn(actor);
    }
  }

  /** The actor takes a random card of the deck (none when it is empty) and the turn passes. */
  void draw() {
    String actor = requireTurn();
    List<String> deck = new ArrayList<>();
    JsonNode cards = doc.get("/deck");
    if (cards != null) {
      cards.fieldNames().forEachRemaining(deck::add);
    }
    if (!deck.isEmpty()) {
      Collections.sort(deck); // replays must see the same order whatever the storage order
      String cardId = deck.get(ctx.random().nextInt(deck.size()));
      doc.remove(pointer("deck", cardId));
      doc.set("/deckCount", Json.NODES.numberNode(deckCount() - 1));
      doc.set(pointer("hands", actor, cardId), Json.NODES.booleanNode(true));
      doc.set(pointer("counts", actor), Json.NODES.numberNode(handCount(actor) + 1));
    }
    passTurn(actor);
  }

  /** The turn timer of turn {@code turnNo} fired: if that turn is still running, it passes. */
  void timeout(long turnNo) {
    if (!PLAYING.equals(status()) || turnNo != doc.get("/turnNo").asLong()) {
      return; // a stale timer: the turn already ended
    }
    passTurn(doc.get("/turn").textValue());
  }

  private void passTurn(String from) {
    List<String> players = players();
    beginTurn(players.get((players.indexOf(from) + 1) % players.size()));
  }

  private void beginTurn(String player) {
    JsonNode previous = doc.get("/turnNo");
    long turnNo = previous == null ? 1 : previous.asLong() + 1;
    doc.set("/turn", Json.NODES.textNode(player));
    doc.set("/turnNo", Json.NODES.numberNode(turnNo));
    ctx.schedule(TURN_TIMER, turnMillis, Json.object().put("op", "timeout").put("turnNo", turnNo));
  }

  private String requireTurn() {
    String status = status();
    if (OPEN.equals(status)) {
      throw ctx.reject(ErrorCode.CARDS_NOT_STARTED, "the game has not started");
    }
    if (OVER.equals(status)) {
      throw ctx.reject(ErrorCode.CARDS_GAME_OVER, "the game is over; start a new one");
    }
    String actor = requirePlayer();
    if (!actor.equals(doc.get("/turn").textValue())) {
      throw ctx.reject(ErrorCode.CARDS_NOT_YOUR_TURN, "it is not your turn");
    }
    return actor;
  }

  private String requirePlayer() {
    String actor = ctx.actor();
    if (actor == null || !doc.has(pointer("players", actor))) {
      throw ctx.reject(ErrorCode.CARDS_NOT_A_PLAYER, "join the game first");
    }
    return actor;
  }

  private String status() {
    JsonNode status = doc.get("/status");
    return status == null ? OPEN : status.textValue();
  }

  /** Player ids in seat order. */
  private List<String> players() {
    JsonNode players = doc.get("/players");
    List<Map.Entry<String, JsonNode>> seats = new ArrayList<>();
    if (players != null) {
      seats.addAll(players.properties());
    }
    seats.sort(Comparator.comparingInt(e -> e.getValue().asInt()));
    List<String> ids = new ArrayList<>(seats.size());
    seats.forEach(e -> ids.add(e.getKey()));
    return ids;
  }

  private int handCount(String player) {
    return doc.get(pointer("counts", player)).asInt();
  }

  private long deckCount() {
    return doc.get("/deckCount").asLong();
  }

  private static Card card(String id) {
    return Card.parse(id).orElseThrow(() -> corrupt("not a card: " + id));
  }

  private static List<Card> shuffled(List<Card> cards, RandomGenerator random) {
    for (int i = cards.size() - 1; i > 0; i--) { // Fisher-Yates
      Collections.swap(cards, i, random.nextInt(i + 1));
    }
    return cards;
  }

  private static DocstreamException corrupt(String reason) {
    return new DocstreamException(ErrorCode.LOGIC_FAILED, "cards document is corrupt: " + reason);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
