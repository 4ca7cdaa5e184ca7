import { h } from '../dom.js';

const RANKS = ['A', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'J', 'Q', 'K'];
const SUITS = { S: '♠', H: '♥', D: '♦', C: '♣' };
const rank = (card) => card.slice(0, -1);
const suit = (card) => card.slice(-1);
const order = (a, b) => 'SHDC'.indexOf(suit(a)) - 'SHDC'.indexOf(suit(b)) || RANKS.indexOf(rank(a)) - RANKS.indexOf(rank(b));

function face(card, props = {}) {
  const red = suit(card) === 'H' || suit(card) === 'D';
  return h(props.onclick ? 'button' : 'span', { ...props, class: `card ${red ? 'red' : ''} ${props.class ?? ''}`, dataset: { card } },
    rank(card), SUITS[suit(card)] ?? '?');
}

function statusLine(doc, viewer) {
  const seats = Object.keys(doc.players ?? {}).length;
  if (doc.status === 'playing') return doc.turn === viewer ? `Your turn (turn ${doc.turnNo})` : `${doc.turn}'s turn (turn ${doc.turnNo})`;
  if (doc.status === 'over') return doc.winner === viewer ? 'You won!' : `${doc.winner} won`;
  return `Waiting for players: ${seats} of 2-4 seated`;
}

/**
 * Public /status /players /turn /turnNo /table /counts /deckCount /winner; the viewer's own hand
 * at /hands/{viewer} (the gateway sends nobody else's). Ops join, start, play, draw.
 */
export function cardsView({ send, viewer }) {
  const status = h('p', { class: 'status' });
  const players = h('ul', { class: 'players' });
  const table = h('div', { class: 'table' });
  const hand = h('div', { class: 'hand', 'aria-label': 'your hand' });
  const join = h('button', { onclick: () => send({ op: 'join' }) }, 'Join');
  const start = h('button', { onclick: () => send({ op: 'start' }) }, 'Start');
  const draw = h('button', { onclick: () => send({ op: 'draw' }) }, 'Draw');
  return {
    el: h('section', { class: 'space cards' }, status, h('div', { class: 'row' }, join, start, draw), table, players,
      h('h3', null, 'Your hand'), hand),
    update(doc) {
      const seated = doc.players ?? {};
      const playing = doc.status === 'playing';
      const mine = Object.hasOwn(seated, viewer);
      const myTurn = playing && doc.turn === viewer;
      status.textContent = statusLine(doc, viewer);
      status.classList.toggle('your-turn', myTurn);
      join.disabled = !viewer || mine || playing;
      start.disabled = !mine || playing || Object.keys(seated).length < 2;
      draw.disabled = !myTurn;
      table.replaceChildren(
        doc.table ? face(doc.table, { class: 'on-table' }) : h('span', { class: 'card back' }),
        h('span', { class: 'muted deck' }, `deck: ${doc.deckCount ?? 0}`));
      players.replaceChildren(
        ...Object.entries(seated).sort((a, b) => a[1] - b[1]).map(([id]) =>
          h('li', { class: `${doc.turn === id && playing ? 'turn' : ''} ${id === viewer ? 'me' : ''}`, dataset: { player: id } },
            h('b', null, id), id === viewer ? ' (you)' : '',
            h('span', { class: 'count' }, ` ${doc.counts?.[id] ?? 0} cards`),
            doc.winner === id ? ' 🏆' : '')));
      const cards = Object.keys(doc.hands?.[viewer] ?? {}).sort(order);
      hand.replaceChildren(
        ...cards.map((card) => {
          const fits = doc.table && (suit(card) === suit(doc.table) || rank(card) === rank(doc.table));
          return face(card, {
            class: myTurn && fits ? 'playable' : '',
            disabled: !myTurn,
            title: fits ? 'play' : 'does not match the table card',
            onclick: () => send({ op: 'play', card }),
          });
        }));
    },
  };
}
