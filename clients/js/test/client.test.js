import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { connect, DocstreamError } from '../docstream.js';
import { fakeGateway } from './fake-gateway.js';

const DOC = 'chat/lobby';
const fast = { initialMs: 10, maxMs: 40, factor: 2, jitter: 0.5 };

async function setUp(t, options = {}) {
  const gateway = await fakeGateway();
  const client = connect(gateway.url, { WebSocket, backoff: fast, heartbeatMs: 0, ...options });
  t.after(async () => {
    await client.close();
    await gateway.close();
  });
  return { gateway, client };
}

function watch(client, doc) {
  const seen = [];
  let wake = () => {};
  client.subscribe(doc, (value, info) => {
    seen.push({ value, ...info });
    wake();
  });
  seen.until = (n, ms = 2000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${seen.length} of ${n} changes`)), ms);
      const check = () => {
        if (seen.length < n) return;
        clearTimeout(timer);
        resolve(seen);
      };
      wake = check;
      check();
    });
  return seen;
}

const tick = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

test('passes the token in the query and subscribes once open', async (t) => {
  const { gateway, client } = await setUp(t, { token: 'tok.en' });
  client.subscribe(DOC);
  const c = await gateway.nextConnection();
  assert.equal(c.token, 'tok.en');
  assert.deepEqual(await c.next(), { op: 'sub', doc: DOC });
  assert.equal(client.state, 'open');
});

test('asks a token function again at every connect', async (t) => {
  let n = 0;
  const { gateway } = await setUp(t, { token: async () => `t${++n}` });
  const first = await gateway.nextConnection();
  first.kill();
  const second = await gateway.nextConnection();
  assert.deepEqual([first.token, second.token], ['t1', 't2']);
});

test('applies deltas in seq order on top of the snapshot, ignoring repeats', async (t) => {
  const { gateway, client } = await setUp(t);
  const seen = watch(client, DOC);
  const c = await gateway.nextConnection();
  await c.next();
  c.send({ type: 'snapshot', doc: DOC, seq: 3, data: { a: 1, b: { c: 2 } }, reset: false });
  c.send({ type: 'delta', doc: DOC, seq: 4, patch: { b: { c: null, d: 3 } } });
  c.send({ type: 'delta', doc: DOC, seq: 4, patch: { z: 'repeat' } });
  c.send({ type: 'delta', doc: DOC, seq: 2, patch: { z: 'old' } });
  c.send({ type: 'delta', doc: DOC, seq: 5, patch: { a: null, e: [1] } });
  c.send({ type: 'delta', doc: 'chat/other', seq: 6, patch: { z: 'not subscribed' } });
  await seen.until(3);
  await tick();
  assert.deepEqual(
    seen.map(({ value, seq, reset }) => ({ value, seq, reset })),
    [
      { value: { a: 1, b: { c: 2 } }, seq: 3, reset: false },
      { value: { a: 1, b: { d: 3 } }, seq: 4, reset: false },
      { value: { b: { d: 3 }, e: [1] }, seq: 5, reset: false },
    ],
  );
  assert.deepEqual(seen[1].patch, { b: { c: null, d: 3 } });
  assert.equal(client.seq(DOC), 5);
  assert.deepEqual(client.value(DOC), { b: { d: 3 }, e: [1] });
});

test('on a gap, skips the delta and resubscribes from the last seq it has', async (t) => {
  const { gateway, client } = await setUp(t);
  const seen = watch(client, DOC);
  const c = await gateway.nextConnection();
  await c.next();
  c.send({ type: 'snapshot', doc: DOC, seq: 1, data: { n: 1 }, reset: false });
  c.send({ type: 'delta', doc: DOC, seq: 3, patch: { n: 3 } });
  c.send({ type: 'delta', doc: DOC, seq: 4, patch: { n: 4 } });
  assert.deepEqual(await c.next(), { op: 'unsub', doc: DOC });
  assert.deepEqual(await c.next(), { op: 'sub', doc: DOC, since: 1 });
  c.send({ type: 'delta', doc: DOC, seq: 2, patch: { n: 2 } });
  c.send({ type: 'delta', doc: DOC, seq: 3, patch: { n: 3 } });
  await seen.until(3);
  await tick();
  assert.deepEqual(seen.map((s) => s.value.n), [1, 2, 3]);
  assert.equal(c.frames.size, 0, 'one resubscribe per gap');
});

test('after a drop, reconnects and resumes with since, applying exactly the missed deltas', async (t) => {
  const { gateway, client } = await setUp(t);
  const seen = watch(client, DOC);
  const first = await gateway.nextConnection();
  await first.next();
  first.send({ type: 'snapshot', doc: DOC, seq: 7, data: { n: 7 }, reset: false });
  first.send({ type: 'delta', doc: DOC, seq: 8, patch: { n: 8 } });
  await seen.until(2);
  first.kill();
  const second = await gateway.nextConnection();
  assert.deepEqual(await second.next(), { op: 'sub', doc: DOC, since: 8 });
  second.send({ type: 'delta', doc: DOC, seq: 9, patch: { n: 9, m: true } });
  second.send({ type: 'delta', doc: DOC, seq: 10, patch: { n: 10 } });
  await seen.until(4);
  assert.deepEqual(seen.map((s) => s.seq), [7, 8, 9, 10]);
  assert.deepEqual(client.value(DOC), { n: 10, m: true });
});

test('a reset snapshot replaces the value whatever it held', async (t) => {
  const { gateway, client } = await setUp(t);
  const seen = watch(client, DOC);
  const first = await gateway.nextConnection();
  await first.next();
  first.send({ type: 'snapshot', doc: DOC, seq: 2, data: { gone: 1, kept: 1 }, reset: false });
  await seen.until(1);
  first.close(4008, 'too slow');
  const second = await gateway.nextConnection();
  assert.deepEqual(await second.next(), { op: 'sub', doc: DOC, since: 2 });
  second.send({ type: 'snapshot', doc: DOC, seq: 90, data: { kept: 2 }, reset: true });
  second.send({ type: 'delta', doc: DOC, seq: 91, patch: { more: 1 } });
  await seen.until(3);
  assert.deepEqual(seen[1], { value: { kept: 2 }, doc: DOC, seq: 90, reset: true });
  assert.deepEqual(client.value(DOC), { kept: 2, more: 1 });
});

test('send resolves on its ack with the seq and rejects on its reject with code and retry', async (t) => {
  const { gateway, client } = await setUp(t);
  const c = await gateway.nextConnection();
  const ok = client.send(DOC, { say: 'hi' }, { id: 'm-1' });
  const bad = client.send(DOC, { say: '' }, { id: 'm-2' });
  assert.deepEqual(await c.next(), { op: 'send', doc: DOC, id: 'm-1', body: { say: 'hi' } });
  assert.deepEqual(await c.next(), { op: 'send', doc: DOC, id: 'm-2', body: { say: '' } });
  c.send({ type: 'reject', id: 'm-2', doc: DOC, code: 4220, error: 'empty', retry: false });
  c.send({ type: 'ack', id: 'm-1', doc: DOC, seq: 18 });
  assert.deepEqual(await ok, { id: 'm-1', doc: DOC, seq: 18 });
  await assert.rejects(bad, (e) => {
    assert.ok(e instanceof DocstreamError);
    assert.deepEqual([e.code, e.retry, e.id, e.doc, e.message], [4220, false, 'm-2', DOC, 'empty']);
    return true;
  });
});

test('send makes distinct ids, refuses bad input locally, and shares a promise per pending id', async (t) => {
  const { gateway, client } = await setUp(t);
  const c = await gateway.nextConnection();
  client.send(DOC, { a: 1 }).catch(() => {});
  client.send(DOC, { a: 2 }).catch(() => {});
  const [a, b] = [await c.next(), await c.next()];
  assert.notEqual(a.id, b.id);
  await assert.rejects(client.send('no-slash', {}), { code: 4103, local: true });
  await assert.rejects(client.send(DOC, null), { code: 4102, local: true });
  await assert.rejects(client.send(DOC, {}, { id: 'x'.repeat(201) }), { code: 4108, local: true });
  const same = client.send(DOC, { a: 3 }, { id: 'same' });
  same.catch(() => {});
  assert.equal(client.send(DOC, { a: 3 }, { id: 'same' }), same);
  await c.next();
  await tick();
  assert.equal(c.frames.size, 0);
});

test('a send made while disconnected goes out once connected; unsettled sends are resent with their id', async (t) => {
  const { gateway, client } = await setUp(t);
  const early = client.send(DOC, { n: 1 }, { id: 'early' });
  const first = await gateway.nextConnection();
  assert.equal((await first.next()).id, 'early');
  first.kill();
  const second = await gateway.nextConnection();
  assert.deepEqual(await second.next(), { op: 'send', doc: DOC, id: 'early', body: { n: 1 } });
  second.send({ type: 'ack', id: 'early', doc: DOC, seq: 4 });
  assert.equal((await early).seq, 4);
});

test('closes for good on 4001, rejecting unsettled sends with that code', async (t) => {
  const { gateway, client } = await setUp(t);
  const closes = [];
  client.on('close', (e) => closes.push(e));
  const c = await gateway.nextConnection();
  const pending = client.send(DOC, { n: 1 }, { id: 'p' });
  await c.next();
  c.close(4001, 'token expired');
  await assert.rejects(pending, { code: 4001 });
  await tick(100);
  assert.equal(client.state, 'closed');
  assert.deepEqual(closes, [{ code: 4001, reason: 'token expired', retryInMs: null }]);
  assert.equal(gateway.pendingConnections(), 0);
});

test('a 401 on the upgrade ends the client like a 4001 close, without reconnecting', async (t) => {
  const { gateway, client } = await setUp(t);
  const first = await gateway.nextConnection();
  const closes = [];
  client.on('close', (e) => closes.push(e));
  gateway.refuseTokens();
  const pending = client.send(DOC, { n: 1 }, { id: 'p' });
  first.kill();
  await assert.rejects(pending, { code: 4001 });
  const seen = gateway.requests();
  await tick(200);
  assert.equal(client.state, 'closed');
  assert.deepEqual(closes.at(-1), { code: 4001, reason: 'invalid token: expired', retryInMs: null });
  assert.equal(gateway.requests(), seen, 'no request after giving up');
});

test('a retryable error about a document subscribes to it again', async (t) => {
  const { gateway, client } = await setUp(t);
  const errors = [];
  client.on('error', (e) => errors.push(e));
  client.subscribe(DOC);
  const c = await gateway.nextConnection();
  await c.next();
  c.send({ type: 'error', code: 4422, error: 'no processor', retry: true, doc: DOC });
  assert.deepEqual(await c.next(), { op: 'sub', doc: DOC });
  assert.deepEqual([errors[0].code, errors[0].doc, errors[0].retry], [4422, DOC, true]);
});

test('unsubscribe tells the gateway and later frames for the document are ignored', async (t) => {
  const { gateway, client } = await setUp(t);
  const seen = [];
  const stop = client.subscribe(DOC, (v) => seen.push(v));
  const c = await gateway.nextConnection();
  await c.next();
  stop();
  assert.deepEqual(await c.next(), { op: 'unsub', doc: DOC });
  c.send({ type: 'snapshot', doc: DOC, seq: 1, data: { a: 1 }, reset: false });
  await tick();
  assert.deepEqual(seen, []);
  assert.equal(client.value(DOC), undefined);
});

test('a second listener gets the current value right away', async (t) => {
  const { gateway, client } = await setUp(t);
  const seen = watch(client, DOC);
  const c = await gateway.nextConnection();
  await c.next();
  c.send({ type: 'snapshot', doc: DOC, seq: 5, data: { a: 1 }, reset: false });
  await seen.until(1);
  const late = await new Promise((resolve) => client.subscribe(DOC, (value, info) => resolve({ value, ...info })));
  assert.deepEqual(late, { value: { a: 1 }, doc: DOC, seq: 5, reset: false });
  await tick();
  assert.equal(c.frames.size, 0, 'no second sub frame');
});

test('reports raw frames both ways', async (t) => {
  const { gateway, client } = await setUp(t);
  const frames = [];
  client.on('frame', (f) => frames.push(f));
  client.subscribe(DOC);
  const c = await gateway.nextConnection();
  await c.next();
  c.send({ type: 'pong' });
  await tick();
  assert.deepEqual(frames, [
    { direction: 'out', frame: { op: 'sub', doc: DOC } },
    { direction: 'in', frame: { type: 'pong' } },
  ]);
});

test('pings, and drops a connection that stays silent for two periods', async (t) => {
  const { gateway } = await setUp(t, { heartbeatMs: 40 });
  const first = await gateway.nextConnection();
  assert.deepEqual(await first.next(), { op: 'ping' });
  const second = await gateway.nextConnection(1000);
  assert.ok(second.at - first.at >= 80, `dropped after ${second.at - first.at} ms`);
  second.send({ type: 'pong' });
  assert.deepEqual(await second.next(), { op: 'ping' });
});

test('close() stops reconnecting and rejects unsettled sends', async (t) => {
  const { gateway, client } = await setUp(t);
  const c = await gateway.nextConnection();
  client.subscribe(DOC);
  await c.next();
  const rejected = assert.rejects(client.send(DOC, { n: 1 }), { code: null, message: 'client closed' });
  await client.close();
  await rejected;
  assert.equal(await c.closed, 1000);
  await tick(100);
  assert.equal(gateway.pendingConnections(), 0);
  await assert.rejects(client.send(DOC, { n: 2 }), /closed/);
});
