import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { backoffDelay, connect } from '../docstream.js';
import { fakeGateway } from './fake-gateway.js';

test('delays grow by the factor up to the cap and stay within the jitter band', () => {
  const options = { initialMs: 100, maxMs: 5000, factor: 2, jitter: 0.5 };
  for (let attempt = 0; attempt < 40; attempt++) {
    const cap = Math.min(5000, 100 * 2 ** attempt);
    assert.equal(backoffDelay(attempt, options, () => 0), cap);
    assert.equal(backoffDelay(attempt, options, () => 0.999999), cap * (1 - 0.5 * 0.999999));
    for (let i = 0; i < 20; i++) {
      const d = backoffDelay(attempt, options);
      assert.ok(d > cap / 2 && d <= cap, `attempt ${attempt}: ${d} outside (${cap / 2}, ${cap}]`);
    }
  }
});

test('defaults: 250 ms first, never above 30 s', () => {
  assert.equal(backoffDelay(0, {}, () => 0), 250);
  assert.equal(backoffDelay(1000, {}, () => 0), 30000);
  assert.ok(backoffDelay(1000, {}, () => 1) >= 15000);
});

test('a client refused again and again backs off as announced, then resets once connected', async (t) => {
  const gateway = await fakeGateway();
  const backoff = { initialMs: 20, maxMs: 80, factor: 2, jitter: 0.5 };
  const client = connect(gateway.url, { WebSocket, backoff, heartbeatMs: 0, random: () => 0.5 });
  t.after(async () => {
    await client.close();
    await gateway.close();
  });
  const waits = [];
  client.on('close', (e) => waits.push(e.retryInMs));
  const connections = [];
  for (let i = 0; i < 5; i++) {
    const c = await gateway.nextConnection();
    connections.push(c);
    if (i < 4) c.close(1011, 'go away');
  }
  assert.deepEqual(waits, [15, 30, 60, 60]);
  for (let i = 1; i < connections.length; i++) {
    const gap = connections[i].at - connections[i - 1].at;
    assert.ok(gap >= waits[i - 1] - 2, `attempt ${i} came after ${gap} ms, before its ${waits[i - 1]} ms`);
  }
  connections[4].send({ type: 'pong' });
  connections[4].close(1011, 'again');
  await gateway.nextConnection();
  assert.equal(waits[4], 15);
});
