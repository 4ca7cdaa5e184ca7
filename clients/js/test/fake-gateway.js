import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

/** A queue whose take() waits for the next item, failing after a timeout. */
class Queue {
  #items = [];
  #waiters = [];

  push(item) {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(item);
    else this.#items.push(item);
  }

  take(ms = 2000, what = 'item') {
    if (this.#items.length) return Promise.resolve(this.#items.shift());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(done), 1);
        reject(new Error(`no ${what} within ${ms} ms`));
      }, ms);
      const done = (item) => {
        clearTimeout(timer);
        resolve(item);
      };
      this.#waiters.push(done);
    });
  }

  get size() {
    return this.#items.length;
  }
}

/** One accepted connection: the frames the client sent, and ways to answer or drop it. */
class FakeConnection {
  frames = new Queue();
  closed;

  constructor(socket, request) {
    this.socket = socket;
    this.url = new URL(request.url, 'ws://127.0.0.1');
    this.token = this.url.searchParams.get('token');
    this.at = performance.now();
    this.closed = new Promise((resolve) => socket.on('close', (code) => resolve(code)));
    socket.on('message', (data) => this.frames.push(JSON.parse(data.toString())));
  }

  next(ms) {
    return this.frames.take(ms, 'frame from the client');
  }

  /** The next frame that is not a ping. */
  async nextOp(ms) {
    for (;;) {
      const frame = await this.next(ms);
      if (frame.op !== 'ping') return frame;
    }
  }

  send(frame) {
    this.socket.send(JSON.stringify(frame));
  }

  close(code, reason) {
    this.socket.close(code, reason);
  }

  /** Drops the TCP connection without a close handshake. */
  kill() {
    this.socket.terminate();
  }
}

/**
 * An in-process stand-in for the gateway on 127.0.0.1 that tests drive frame by frame. After
 * refuseTokens(), it answers every request, upgrade or plain GET, with 401 and code 4001 as the
 * gateway does for a bad token; requests() counts the requests it saw.
 */
export async function fakeGateway() {
  let refused = false;
  let requests = 0;
  const unauthorized = JSON.stringify({ code: 4001, error: 'invalid token: expired', retry: false });
  const http = createServer((request, response) => {
    requests++;
    response.writeHead(refused ? 401 : 400, { 'content-type': 'application/json' });
    response.end(refused ? unauthorized : '{}');
  });
  const server = new WebSocketServer({
    server: http,
    path: '/ws',
    verifyClient: (info, done) => {
      requests++;
      if (refused) done(false, 401, unauthorized, { 'content-type': 'application/json' });
      else done(true);
    },
  });
  http.listen(0, '127.0.0.1');
  await new Promise((resolve) => http.once('listening', resolve));
  const connections = new Queue();
  const all = [];
  server.on('connection', (socket, request) => {
    const c = new FakeConnection(socket, request);
    all.push(c);
    connections.push(c);
  });
  return {
    url: `ws://127.0.0.1:${http.address().port}/ws`,
    all,
    nextConnection: (ms) => connections.take(ms, 'connection'),
    pendingConnections: () => connections.size,
    refuseTokens: () => (refused = true),
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        for (const c of all) c.socket.terminate();
        server.close(() => http.close(resolve));
      }),
  };
}
