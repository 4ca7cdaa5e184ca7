package io.docstream.spaces.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A playing card of the {@code cards} space. Its id is rank then suit: {@code "AS"}, {@code "10H"},
 * {@code "QD"}; ranks {@code A 2-10 J Q K}, suits {@code S H D C}.
 */
record Card(String rank, String suit) {
  static final List<String> RANKS =
      List.of("A", "2", "3", "4", "5", "6", "7", "8", "9", "10", "J", "Q", "K");
  static final List<String> SUITS = List.of("S", "H", "D", "C");

  /** The 52 cards in a fixed order (spades first, ace to king), for shuffling. */
  static List<Card> deck() {
    List<Card> deck = new ArrayList<>(RANKS.size() * SUITS.size());
    for (String suit : SUITS) {
      for (String rank : RANKS) {
        deck.add(new Card(rank, suit));
      }
    }
    return deck;
  }

  /** The card of that id, or empty when the id names no card. */
  static Optional<Card> parse(String id) {
    if (id == null || id.length() < 2) {
      return Optional.empty();
    }
    String rank = id.substring(0, id.length() - 1);
    String suit = id.substring(id.length() - 1);
    return RANKS.contains(rank) && SUITS.contains(suit)
        ? Optional.of(new Card(rank, suit))
        : Optional.empty();
  }

  String id() {
    return rank + suit;
  }

  /** Whether this card may be played on {@code table}: same suit or same rank. */
  boolean playableOn(Card table) {
    return suit.equals(table.suit) || rank.equals(table.rank);
  }
}
