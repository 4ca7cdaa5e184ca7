// Two browser pages, two players: a round of cards through the demo page, a real gateway, processor
// and broker. Each page sees the other's moves and never the other's hand or the deck, on screen
// or in any frame it receives. Needs Debian's chromium (CHROMIUM overrides /usr/bin/chromium);
// SCREENSHOTS=dir keeps a picture of each page at the end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startStack } from '../../js/e2e/stack.js';
import { startDevServer } from '../dev-server.js';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WAIT = { timeout: 30000 };
let stack;
let server;
let browser;

before(async () => {
  stack = await startStack({ settings: { 'spaces.cards.turnMillis': 300000 } });
  server = await startDevServer({ secret: stack.secret, gatewayUrl: stack.wsUrl });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: FLAGS });
});

after(async () => {
  await browser?.close();
  await server?.close();
  await stack?.stop();
});

/** A player's page, recording every frame the page's WebSocket receives. */
async function player(name, doc) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const received = [];
  page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => received.push(String(payload))));
  page.on('pageerror', (e) => assert.fail(`${name}: ${e.message}`));
  await page.goto(`${server.url}?gateway=${encodeURIComponent(stack.wsUrl)}&viewer=${name}&doc=${encodeURIComponent(doc)}`);
  await page.waitForSelector('#state[data-state="open"]', WAIT);
  await page.waitForSelector('.space.cards', WAIT);
  return { name, page, received };
}

const hand = (p) => p.page.$$eval('.hand [data-card]', (cards) => cards.map((c) => c.dataset.card));
const shown = (p) => p.page.$eval('pre.json', (pre) => JSON.parse(pre.textContent));
const turnNo = async (p) => (await shown(p)).turnNo;
const seesPlayers = (p, n) => p.page.waitForFunction((count) => document.querySelectorAll('.players li').length === count, n, WAIT);
const seesTurn = (p, n) => p.page.waitForFunction((no) => JSON.parse(document.querySelector('pre.json').textContent).turnNo === no, n, WAIT);

function assertPrivate(p, other) {
  for (const frame of p.received.map((text) => JSON.parse(text))) {
    const body = frame.data ?? frame.patch;
    if (!body) continue;
    assert.equal(body.deck, undefined, `${p.name} received the deck: ${JSON.stringify(frame)}`);
    for (const owner of Object.keys(body.hands ?? {})) {
      assert.equal(owner, p.name, `${p.name} received ${other.name}'s hand: ${JSON.stringify(frame)}`);
    }
  }
}

test('two players play a round; each sees the other move and only their own hand', async () => {
  const doc = `cards/e2e-${Date.now().toString(36)}`;
  const alice = await player('alice', doc);
  const bob = await player('bob', doc);

  await alice.page.click('button:text("Join")');
  await seesPlayers(bob, 1);
  await bob.page.click('button:text("Join")');
  await seesPlayers(alice, 2);
  await bob.page.click('button:text("Start")');
  await alice.page.waitForSelector('.status.your-turn', WAIT);
  await bob.page.waitForFunction(() => document.querySelectorAll('.hand [data-card]').length === 5, null, WAIT);

  const [aliceHand, bobHand] = [await hand(alice), await hand(bob)];
  assert.equal(aliceHand.length, 5);
  assert.equal(new Set([...aliceHand, ...bobHand]).size, 10, 'hands are disjoint');
  assert.deepEqual(Object.keys((await shown(alice)).hands), ['alice']);
  assert.deepEqual(Object.keys((await shown(bob)).hands), ['bob']);

  let [mover, watcher] = [alice, bob];
  for (let move = 0; move < 6; move++) {
    const before = await turnNo(mover);
    const playable = await mover.page.$('.hand button.playable');
    const card = playable && (await playable.getAttribute('data-card'));
    await (playable ?? (await mover.page.$('button:text("Draw")'))).click();
    await seesTurn(watcher, before + 1);
    await seesTurn(mover, before + 1);
    const seen = await shown(watcher);
    if (seen.status === 'over') break;
    if (card) assert.equal(seen.table, card, `${watcher.name} sees ${mover.name} play ${card}`);
    assert.equal(seen.counts[mover.name], (await hand(mover)).length, `${watcher.name} sees ${mover.name}'s card count`);
    assert.equal(seen.turn, watcher.name);
    await watcher.page.waitForSelector('.status.your-turn', WAIT);
    [mover, watcher] = [watcher, mover];
  }

  assertPrivate(alice, bob);
  assertPrivate(bob, alice);
  for (const p of [alice, bob]) {
    const text = await p.page.textContent('body');
    assert.ok(!text.includes('rejected'), `${p.name}'s page shows a rejection: ${text}`);
    if (process.env.SCREENSHOTS) await p.page.screenshot({ path: join(process.env.SCREENSHOTS, `cards-${p.name}.png`), fullPage: true });
  }
});
