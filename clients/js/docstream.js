import { applyMergePatch } from './merge-patch.js';
import { backoffDelay } from './backoff.js';

export { applyMergePatch, backoffDelay };

const SPACE = /^[a-z][a-z0-9_-]{0,63}$/;
const DOC_ID = /^[A-Za-z0-9._~:@+=-]{1,200}$/;
const OPEN = 1;
const CONNECTING = 0;

/** Close codes after which reconnecting with the same credentials cannot help. */
export const FATAL_CLOSE_CODES = Object.freeze([4001, 4003]);

/** Codes of the error registry (docs/errors.md) that the client itself may answer with. */
export const CODES = Object.freeze({ BODY_MISSING: 4102, DOC_KEY_INVALID: 4103, MESSAGE_ID_INVALID: 4108 });

export function isDocKey(key) {
  if (typeof key !== 'string') return false;
  const slash = key.indexOf('/');
  return slash > 0 && SPACE.test(key.slice(0, slash)) && DOC_ID.test(key.slice(slash + 1));
}

/** A rejection or error from the gateway (or, with `local`, from the client before sending). */
export class DocstreamError extends Error {
  constructor({ code = null, error, retry = false, id, doc, local = false }) {
    super(error ?? `docstream error ${code}`);
    this.name = 'DocstreamError';
    Object.assign(this, { code, retry, id, doc, local });
  }
}

/**
 * Opens a client on a gateway's `/ws` URL (ws:, wss:, http: or https:). Options:
 * token (string, or a function returning one or a promise of one, asked at every connect),
 * WebSocket (constructor; default globalThis.WebSocket), backoff ({initialMs, maxMs, factor,
 * jitter}; the backoff starts over once a connection brings a frame or stays up stableMs),
 * heartbeatMs (ping period; a connection silent for two periods is dropped; 0: off), stableMs,
 * random (for jitter and ids).
 */
export function connect(url, options = {}) {
  return new Client(url, options);
}

function withToken(url, token) {
  const u = new URL(url, globalThis.location?.href);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  if (u.protocol === 'https:') u.protocol = 'wss:';
  if (token) u.searchParams.set('token', token);
  return u.toString();
}

/** The gateway's {code, error} when it refuses `url`'s token with 401 and code 4001, else null. */
async function refusal(url) {
  if (typeof globalThis.fetch !== 'function') return null;
  try {
    const u = new URL(url);
    u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
    const answer = await globalThis.fetch(u, { headers: { accept: 'application/json' } });
    if (answer.status !== 401) return null;
    const body = await answer.json();
    return body?.code === 4001 ? body : null;
  } catch {
    return null;
  }
}

function deferred() {
  let resolve, reject;
  const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function raise(error) {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else queueMicrotask(() => { throw error; });
}

class Client {
  #url;
  #options;
  #WebSocket;
  #socket = null;
  #state = 'connecting';
  #attempt = 0;
  #timer = null;
  #stable = null;
  #heartbeat = null;
  #heard = true;
  #closed = false;
  #docs = new Map();
  #pending = new Map();
  #events = new Map();
  #idPrefix;
  #nextId = 1;

  constructor(url, options) {
    this.#url = url;
    this.#options = { heartbeatMs: 25000, stableMs: 5000, random: Math.random, ...options };
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    if (typeof this.#WebSocket !== 'function') {
      throw new TypeError('no WebSocket constructor: pass options.WebSocket');
    }
    withToken(url);
    this.#idPrefix = Math.floor(this.#options.random() * 36 ** 8).toString(36).padStart(8, '0');
    this.#open();
  }

  /** 'connecting', 'open', 'reconnecting' or 'closed'. */
  get state() {
    return this.#state;
  }

  /** The current value of a subscribed document (undefined before its snapshot). */
  value(doc) {
    return this.#docs.get(doc)?.value;
  }

  /** The seq of a subscribed document's current value, or null before its snapshot. */
  seq(doc) {
    return this.#docs.get(doc)?.seq ?? null;
  }

  /**
   * Listens to 'state' (new state), 'frame' ({direction: 'in'|'out', frame}), 'error'
   * (DocstreamError from an error frame; `doc` says which subscription it concerns) or 'close'
   * ({code, reason, retryInMs}, retryInMs null when the client gives up). Returns an unlistener.
   */
  on(event, listener) {
    if (!this.#events.has(event)) this.#events.set(event, new Set());
    this.#events.get(event).add(listener);
    return () => this.#events.get(event)?.delete(listener);
  }

  /**
   * Keeps `doc` current: onChange(value, {doc, seq, reset, patch}) after its snapshot and each
   * delta (patch undefined for snapshots). Returns a function that removes this listener and
   * unsubscribes once none is left.
   */
  subscribe(doc, onChange) {
    if (!isDocKey(doc)) {
      throw new DocstreamError({ code: CODES.DOC_KEY_INVALID, error: `not a document key: ${doc}`, doc, local: true });
    }
    let d = this.#docs.get(doc);
    if (!d) {
      d = { value: undefined, seq: null, listeners: new Set(), resyncing: false, errors: 0, retry: null };
      this.#docs.set(doc, d);
      this.#sub(doc, d);
    }
    if (onChange) {
      d.listeners.add(onChange);
      if (d.seq !== null) {
        queueMicrotask(() => {
          if (this.#docs.get(doc) === d && d.listeners.has(onChange) && d.seq !== null) {
            onChange(d.value, { doc, seq: d.seq, reset: false });
          }
        });
      }
    }
    return () => {
      d.listeners.delete(onChange);
      if (d.listeners.size === 0 && this.#docs.get(doc) === d) this.unsubscribe(doc);
    };
  }

  unsubscribe(doc) {
    const d = this.#docs.get(doc);
    if (!d) return;
    clearTimeout(d.retry);
    this.#docs.delete(doc);
    this.#write({ op: 'unsub', doc });
  }

  /**
   * Sends a message; resolves with {id, doc, seq} once committed, rejects with a DocstreamError on
   * a reject. Sends survive reconnects: unsettled ones are sent again with the same id, which the
   * gateway answers with the seq they were first applied at.
   */
  send(doc, body, { id } = {}) {
    id ??= `${this.#idPrefix}-${this.#nextId++}`;
    const local = (code, error) => Promise.reject(new DocstreamError({ code, error, id, doc, local: true }));
    if (this.#closed) return local(null, 'client is closed');
    if (!isDocKey(doc)) return local(CODES.DOC_KEY_INVALID, `not a document key: ${doc}`);
    if (typeof id !== 'string' || id.length < 1 || id.length > 200) {
      return local(CODES.MESSAGE_ID_INVALID, 'id needs 1 to 200 characters');
    }
    if (body === undefined || body === null) return local(CODES.BODY_MISSING, 'send needs a body');
    const key = `${doc}\n${id}`;
    const existing = this.#pending.get(key);
    if (existing) return existing.promise;
    const p = { ...deferred(), frame: { op: 'send', doc, id, body } };
    this.#pending.set(key, p);
    this.#write(p.frame);
    return p.promise;
  }

  /** Stops for good: closes the socket and rejects unsettled sends. Resolves once closed. */
  close() {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#stable);
    this.#stopHeartbeat();
    for (const d of this.#docs.values()) clearTimeout(d.retry);
    const socket = this.#socket;
    this.#socket = null;
    this.#failPending({ code: null, error: 'client closed' });
    this.#setState('closed');
    if (!socket || socket.readyState > OPEN) return Promise.resolve();
    return new Promise((resolve) => {
      socket.onclose = () => resolve();
      socket.onmessage = null;
      socket.close(1000, 'bye');
    });
  }

  #emit(event, value) {
    for (const listener of this.#events.get(event) ?? []) {
      try {
        listener(value);
      } catch (e) {
        raise(e);
      }
    }
  }

  #setState(state) {
    if (this.#state === state) return;
    this.#state = state;
    this.#emit('state', state);
  }

  #open() {
    this.#setState(this.#attempt === 0 ? 'connecting' : 'reconnecting');
    const { token } = this.#options;
    if (typeof token !== 'function') {
      this.#openSocket(token);
      return;
    }
    Promise.resolve()
      .then(token)
      .then(
        (t) => this.#closed || this.#openSocket(t),
        (e) => {
          this.#emit('error', e);
          this.#retry(null, 'token unavailable');
        },
      );
  }

  #openSocket(token) {
    let socket;
    try {
      socket = new this.#WebSocket(withToken(this.#url, token));
    } catch (e) {
      this.#emit('error', e);
      this.#retry(null, String(e?.message ?? e));
      return;
    }
    this.#socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      if (socket === this.#socket) this.#onOpen();
    };
    socket.onmessage = (e) => socket === this.#socket && this.#onMessage(e.data);
    socket.onclose = (e) => {
      if (socket !== this.#socket) return;
      if (opened) this.#onClose(e.code, e.reason);
      else this.#onNotOpened(withToken(this.#url, token), e.code, e.reason);
    };
    socket.onerror = () => {};
  }

  /**
   * The upgrade failed. A WebSocket does not tell why, so ask the same URL over plain HTTP: the
   * gateway answers a bad or missing token with 401 and code 4001 there too, which ends the client
   * like a 4001 close; anything else is retried.
   */
  #onNotOpened(url, code, reason) {
    this.#socket = null;
    refusal(url).then((refused) => {
      if (this.#closed || this.#socket) return;
      if (refused) this.#giveUp(refused.code, refused.error);
      else this.#onClose(code, reason);
    });
  }

  #onOpen() {
    this.#setState('open');
    this.#stable = setTimeout(() => (this.#attempt = 0), this.#options.stableMs);
    for (const [doc, d] of this.#docs) this.#sub(doc, d);
    for (const p of this.#pending.values()) this.#write(p.frame);
    this.#startHeartbeat();
  }

  #onClose(code, reason) {
    this.#socket = null;
    clearTimeout(this.#stable);
    this.#stopHeartbeat();
    if (FATAL_CLOSE_CODES.includes(code)) {
      this.#giveUp(code, reason);
      return;
    }
    this.#retry(code, reason);
  }

  #giveUp(code, reason) {
    this.#closed = true;
    this.#failPending({ code, error: reason || `closed with ${code}` });
    this.#setState('closed');
    this.#emit('close', { code, reason, retryInMs: null });
  }

  #retry(code, reason) {
    if (this.#closed) return;
    const delay = backoffDelay(this.#attempt++, this.#options.backoff, this.#options.random);
    this.#setState('reconnecting');
    this.#emit('close', { code, reason, retryInMs: delay });
    this.#timer = setTimeout(() => this.#closed || this.#open(), delay);
  }

  #drop() {
    const socket = this.#socket;
    socket.onclose = socket.onmessage = socket.onopen = null;
    try {
      socket.close();
    } catch {
      // already closing
    }
    this.#onClose(null, 'no answer to ping');
  }

  #startHeartbeat() {
    const period = this.#options.heartbeatMs;
    if (!period) return;
    this.#heard = true;
    this.#heartbeat = setInterval(() => {
      if (!this.#heard) {
        this.#drop();
        return;
      }
      this.#heard = false;
      this.#write({ op: 'ping' });
    }, period);
  }

  #stopHeartbeat() {
    clearInterval(this.#heartbeat);
    this.#heartbeat = null;
  }

  #write(frame) {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN) return false;
    socket.send(JSON.stringify(frame));
    this.#emit('frame', { direction: 'out', frame });
    return true;
  }

  #sub(doc, d) {
    d.resyncing = false;
    this.#write(d.seq === null ? { op: 'sub', doc } : { op: 'sub', doc, since: d.seq });
  }

  #failPending(error) {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(new DocstreamError({ ...error, id: p.frame.id, doc: p.frame.doc }));
  }

  #onMessage(data) {
    this.#heard = true;
    this.#attempt = 0;
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      this.#emit('error', new DocstreamError({ error: `gateway sent a frame that is not JSON: ${String(data).slice(0, 80)}` }));
      return;
    }
    this.#emit('frame', { direction: 'in', frame });
    switch (frame.type) {
      case 'snapshot': return this.#onSnapshot(frame);
      case 'delta': return this.#onDelta(frame);
      case 'ack': return this.#settle(frame, (p) => p.resolve({ id: frame.id, doc: frame.doc, seq: frame.seq }));
      case 'reject': return this.#settle(frame, (p) => p.reject(new DocstreamError(frame)));
      case 'error': return this.#onError(frame);
      default:
    }
  }

  #onSnapshot({ doc, seq, data, reset }) {
    const d = this.#docs.get(doc);
    if (!d) return;
    Object.assign(d, { value: data, seq, resyncing: false, errors: 0 });
    this.#notify(doc, d, { doc, seq, reset: Boolean(reset) });
  }

  #onDelta({ doc, seq, patch }) {
    const d = this.#docs.get(doc);
    if (!d || d.seq === null || seq <= d.seq) return;
    if (seq !== d.seq + 1) {
      if (!d.resyncing) {
        this.#write({ op: 'unsub', doc }); // a second sub of a subscribed document is refused
        this.#sub(doc, d);
        d.resyncing = true;
      }
      return;
    }
    Object.assign(d, { value: applyMergePatch(d.value, patch), seq, resyncing: false });
    this.#notify(doc, d, { doc, seq, reset: false, patch });
  }

  #notify(doc, d, info) {
    for (const listener of [...d.listeners]) {
      if (this.#docs.get(doc) !== d) return;
      try {
        listener(d.value, info);
      } catch (e) {
        raise(e);
      }
    }
  }

  #settle(frame, settle) {
    const key = `${frame.doc}\n${frame.id}`;
    const p = this.#pending.get(key);
    if (!p) return;
    this.#pending.delete(key);
    settle(p);
  }

  #onError(frame) {
    this.#emit('error', new DocstreamError(frame));
    const d = frame.doc ? this.#docs.get(frame.doc) : undefined;
    if (!d || !frame.retry) return;
    clearTimeout(d.retry);
    const delay = backoffDelay(d.errors++, this.#options.backoff, this.#options.random);
    d.retry = setTimeout(() => this.#docs.get(frame.doc) === d && this.#sub(frame.doc, d), delay);
  }
}
