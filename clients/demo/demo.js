import { connect, isDocKey } from '../js/docstream.js';
import { h } from './dom.js';
import { inspector } from './inspector.js';
import { cardsView } from './views/cards.js';
import { chatView } from './views/chat.js';
import { jsonView } from './views/json.js';
import { todoView } from './views/todo.js';

const VIEWS = { chat: chatView, todo: todoView, cards: cardsView };
const EXAMPLES = { chat: { say: 'hello' }, todo: { op: 'add', title: 'milk' }, cards: { op: 'draw' } };
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const gatewayUrl = params.get('gateway') ?? new URL('/ws', location.href).toString().replace(/^http/, 'ws');
const panel = inspector($('inspector'));

let client = null;
let viewer = null;
let openDoc = null;

function say(text, kind = 'info') {
  $('notice').replaceChildren(h('span', { class: kind }, text));
}

function subjectOf(token) {
  try {
    return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).sub ?? null;
  } catch {
    return null;
  }
}

/** Asks the page's server for a development token; null when it offers none. */
async function devToken(name) {
  try {
    const answer = await fetch(new URL(`/dev/token?sub=${encodeURIComponent(name)}`, location.href));
    if (!answer.ok) return null;
    return (await answer.json()).token ?? null;
  } catch {
    return null;
  }
}

function remember() {
  const url = new URL(location.href);
  for (const [key, value] of Object.entries({ viewer, doc: openDoc?.doc })) {
    if (value) url.searchParams.set(key, value);
    else url.searchParams.delete(key);
  }
  history.replaceState(null, '', url);
}

function showState(state, detail = '') {
  $('state').textContent = detail ? `${state} (${detail})` : state;
  $('state').dataset.state = state;
}

async function signIn(name, pasted) {
  let token = pasted.trim() || null;
  if (!token && name) {
    token = await devToken(name);
    if (!token) {
      $('token-row').hidden = false;
      say('This server hands out no development tokens: paste a token for this viewer (a JWT whose subject is the viewer id).', 'error');
      return;
    }
  }
  viewer = token ? subjectOf(token) ?? name : null;
  await client?.close();
  client = connect(gatewayUrl, { token });
  client.on('state', (state) => showState(state));
  client.on('frame', (event) => panel.frame(event));
  client.on('error', (e) => say(`${e.code ?? ''} ${e.message}`, 'error'));
  client.on('close', (e) => {
    if (e.retryInMs === null) say(`Disconnected for good: ${e.code} ${e.reason}`, 'error');
    else showState('reconnecting', `in ${(e.retryInMs / 1000).toFixed(1)} s after ${e.code ?? 'no answer'}`);
  });
  $('who').textContent = viewer ? `signed in as ${viewer}` : 'anonymous';
  document.body.dataset.viewer = viewer ?? '';
  say(viewer ? `Hello ${viewer}. Open a document.` : 'Watching anonymously: the gateway lets you in only if some space allows anonymous access (gateway.space.<name>.read=anyone).');
  if (openDoc) open(openDoc.doc);
  else remember();
}

function send(body) {
  const doc = openDoc?.doc;
  if (!client || !doc) return Promise.resolve(null);
  return client.send(doc, body).then(
    (ack) => {
      say(`ack · seq ${ack.seq}`);
      return ack;
    },
    (e) => {
      say(`rejected · ${e.code ?? ''} ${e.message}${e.retry ? ' (retry may help)' : ''}`, 'error');
      return null;
    },
  );
}

function open(doc) {
  if (!isDocKey(doc)) {
    say(`"${doc}" is not a document key: space/id, e.g. chat/lobby`, 'error');
    return;
  }
  openDoc?.stop();
  const space = doc.slice(0, doc.indexOf('/'));
  const make = VIEWS[space] ?? jsonView;
  $('body').value = JSON.stringify(EXAMPLES[space] ?? { title: 'hi' });
  const view = make({ send, viewer, doc });
  $('app').replaceChildren(view.el);
  $('app').dataset.doc = doc;
  $('doc').value = doc;
  panel.document(doc, undefined);
  const stop = client.subscribe(doc, (value, info) => {
    view.update(value);
    panel.document(doc, value, info);
  });
  openDoc = { doc, stop };
  remember();
}

$('signin').addEventListener('submit', (e) => {
  e.preventDefault();
  signIn($('name').value.trim(), $('token').value);
});

$('open').addEventListener('submit', (e) => {
  e.preventDefault();
  if (!client) say('Sign in first (or leave the name empty to watch anonymously).', 'error');
  else open($('doc').value.trim());
});

for (const link of document.querySelectorAll('[data-open]')) {
  link.addEventListener('click', (e) => {
    e.preventDefault();
    $('doc').value = link.dataset.open;
    $('open').requestSubmit();
  });
}

$('raw').addEventListener('submit', (e) => {
  e.preventDefault();
  let body;
  try {
    body = JSON.parse($('body').value);
  } catch (error) {
    say(`not JSON: ${error.message}`, 'error');
    return;
  }
  send(body);
});

$('gateway').textContent = gatewayUrl;
if (params.has('doc')) $('doc').value = params.get('doc');
if (params.has('viewer') || params.has('token')) {
  $('name').value = params.get('viewer') ?? '';
  signIn($('name').value, params.get('token') ?? '').then(() => params.get('doc') && client && open(params.get('doc')));
}
