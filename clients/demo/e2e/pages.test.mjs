// The chat and todo pages and signing in with a pasted token, in headless Chromium against a real
// gateway, processor and broker.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startStack } from '../../js/e2e/stack.js';
import { startDevServer } from '../dev-server.js';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WAIT = { timeout: 30000 };
const run = Date.now().toString(36);
let stack;
let server;
let browser;

before(async () => {
  stack = await startStack();
  server = await startDevServer({ secret: stack.secret, gatewayUrl: stack.wsUrl });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: FLAGS });
});

after(async () => {
  await browser?.close();
  await server?.close();
  await stack?.stop();
});

async function page(query, base = server.url) {
  const p = await (await browser.newContext()).newPage();
  p.on('pageerror', (e) => assert.fail(e.message));
  await p.goto(`${base}?gateway=${encodeURIComponent(stack.wsUrl)}&${query}`);
  return p;
}

const count = (p, selector, n) => p.waitForFunction(([s, c]) => document.querySelectorAll(s).length === c, [selector, n], WAIT);

test('chat: messages show in order for every viewer; a rejection is shown with its code', async () => {
  const doc = `chat/pages-${run}`;
  const carol = await page(`viewer=carol&doc=${doc}`);
  const erin = await page(`viewer=erin&doc=${doc}`);
  await carol.waitForSelector('.space.chat', WAIT);
  await erin.waitForSelector('.space.chat', WAIT);
  await carol.fill('input[name=say]', 'hello erin');
  await carol.press('input[name=say]', 'Enter');
  await count(erin, '.chat-log li', 1);
  await erin.fill('input[name=say]', 'hi carol');
  await erin.press('input[name=say]', 'Enter');
  await count(carol, '.chat-log li', 2);
  assert.deepEqual(await carol.$$eval('.chat-log li span', (s) => s.map((e) => e.textContent)), ['hello erin', 'hi carol']);
  await erin.fill('#body', '{"say": " "}');
  await erin.click('#raw button');
  await erin.waitForSelector('#notice .error', WAIT);
  assert.match(await erin.textContent('#notice'), /rejected · 4220/);
  await erin.waitForSelector('.frame.reject', WAIT);
});

test('todo: add, toggle and rename show up on another viewer', async () => {
  const doc = `todo/pages-${run}`;
  const carol = await page(`viewer=carol&doc=${doc}`);
  const erin = await page(`viewer=erin&doc=${doc}`);
  await carol.waitForSelector('.space.todo', WAIT);
  await erin.waitForSelector('.space.todo', WAIT);
  for (const title of ['milk', 'eggs']) {
    await carol.fill('input[name=title]', title);
    await carol.press('input[name=title]', 'Enter');
    await count(carol, '.todo-list li', title === 'milk' ? 1 : 2);
  }
  await count(erin, '.todo-list li', 2);
  await erin.click('.todo-list li:first-child input[type=checkbox]');
  await carol.waitForSelector('.todo-list li.done', WAIT);
  await erin.dblclick('.todo-list li:nth-child(2) .title');
  await erin.fill('.todo-list li:nth-child(2) input:not([type])', 'free-range eggs');
  await erin.press('.todo-list li:nth-child(2) input:not([type])', 'Enter');
  await carol.waitForFunction(() => document.querySelector('.todo-list li:nth-child(2) .title')?.textContent === 'free-range eggs', null, WAIT);
  assert.equal(await carol.textContent('.todo footer .muted'), '1 left of 2');
});

test('without a dev token endpoint the page asks for a token and signs in with a pasted one', async () => {
  const plain = await startDevServer({ gatewayUrl: stack.wsUrl });
  try {
    const dave = await page('viewer=dave&doc=chat/lobby', plain.url);
    await dave.waitForSelector('#token-row:not([hidden])', WAIT);
    await dave.fill('#token', stack.token('dave'));
    await dave.click('#signin button');
    await dave.waitForSelector('#state[data-state="open"]', WAIT);
    assert.equal(await dave.textContent('#who'), 'signed in as dave');
    await dave.click('#open button');
    await dave.waitForSelector('.frame.snapshot', WAIT);
  } finally {
    await plain.close();
  }
});
