import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { connect } from '../docstream.js';
import { startStack } from './stack.js';

let stack;
const clients = [];
const run = Date.now().toString(36);

before(async () => {
  stack = await startStack();
});

after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await stack?.stop();
});

/** A client whose sockets the test can cut. */
function client(viewer, options = {}) {
  const sockets = [];
  class Cuttable extends WebSocket {
    constructor(...args) {
      super(...args);
      sockets.push(this);
    }
  }
  const c = connect(stack.wsUrl, { WebSocket: Cuttable, token: viewer && stack.token(viewer), ...options });
  c.cut = () => sockets.at(-1).terminate();
  clients.push(c);
  return c;
}

function until(c, doc, predicate, ms = 20000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${doc}: condition not met; value ${JSON.stringify(c.value(doc))}`)), ms);
    let done = false;
    c.subscribe(doc, (value) => {
      if (done || !predicate(value)) return;
      done = true;
      clearTimeout(timer);
      resolve(value);
    });
  });
}

test('chat: a message reaches both viewers; the ack names the seq of its delta; a bad one is rejected', async () => {
  const doc = `chat/e2e-${run}`;
  const alice = client('alice');
  const bob = client('bob');
  const seqs = [];
  bob.subscribe(doc, (_, { seq }) => seqs.push(seq));
  await until(bob, doc, () => true);
  const bobSees = until(bob, doc, (v) => Object.values(v.messages ?? {}).some((m) => m.text === 'hi bob'));
  const ack = await alice.send(doc, { say: 'hi bob' });
  const value = await bobSees;
  assert.equal(ack.seq, bob.seq(doc));
  assert.deepEqual(Object.values(value.messages).map((m) => [m.from, m.text]), [['alice', 'hi bob']]);
  await assert.rejects(alice.send(doc, { say: '   ' }), { code: 4220, retry: false });
  assert.deepEqual(seqs, [0, 1]);
});

test('resume: a cut connection comes back with since and catches up without gap or repeat', async () => {
  const doc = `todo/e2e-${run}`;
  const alice = client('alice');
  const bob = client('bob');
  const seqs = [];
  const snapshots = [];
  bob.subscribe(doc, (_, { seq, patch }) => (patch ? seqs : snapshots).push(seq));
  await until(bob, doc, () => true);
  await alice.send(doc, { op: 'add', title: 'milk' });
  await until(bob, doc, (v) => Object.keys(v.items ?? {}).length === 1);
  bob.cut();
  await alice.send(doc, { op: 'add', title: 'eggs' });
  await alice.send(doc, { op: 'add', title: 'bread' });
  const last = await alice.send(doc, { op: 'toggle', id: '0000000001' });
  const value = await until(bob, doc, () => bob.seq(doc) === last.seq);
  assert.deepEqual(snapshots, [0]);
  assert.deepEqual(seqs, [1, 2, 3, 4]);
  assert.deepEqual(
    Object.values(value.items).map((i) => [i.title, i.done]),
    [['milk', true], ['eggs', false], ['bread', false]],
  );
});

test('cards: each player sees their own hand and nobody sees the deck', async () => {
  const doc = `cards/e2e-${run}`;
  const alice = client('alice');
  const bob = client('bob');
  await alice.send(doc, { op: 'join' });
  await bob.send(doc, { op: 'join' });
  await alice.send(doc, { op: 'start' });
  const [a, b] = await Promise.all([
    until(alice, doc, (v) => v.status === 'playing'),
    until(bob, doc, (v) => v.status === 'playing'),
  ]);
  assert.deepEqual(Object.keys(a.hands), ['alice']);
  assert.deepEqual(Object.keys(b.hands), ['bob']);
  assert.equal(Object.keys(a.hands.alice).length, 5);
  assert.equal(a.deck ?? b.deck, undefined);
  await alice.send(doc, { op: 'draw' });
  const later = await until(bob, doc, (v) => v.counts.alice === 6);
  assert.deepEqual(Object.keys(later.hands), ['bob']);
  assert.equal(later.turn, 'bob');
  assert.equal(Object.keys(alice.value(doc).hands.alice).length, 6);
});

test('a bad token closes the client for good with 4001', async () => {
  const mallory = connect(stack.wsUrl, { WebSocket, token: 'not.a.jwt' });
  clients.push(mallory);
  const closed = await new Promise((resolve) => mallory.on('close', resolve));
  assert.deepEqual([closed.code, closed.retryInMs, mallory.state], [4001, null, 'closed']);
});
