#!/usr/bin/env node
// Serves the demo the way the gateway is expected to: / -> clients/demo, /js/ -> clients/js,
// GET /dev/token?sub=NAME -> {"token": HS256 JWT} when given the gateway's development secret.
//
//   node clients/demo/dev-server.js --stack                       # also starts broker, processor, gateway
//   node clients/demo/dev-server.js --gateway ws://127.0.0.1:8080/ws --secret <auth.hs256.secret>
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { hs256Token } from '../js/e2e/jwt.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOTS = [['/js/', join(here, '../js')], ['/', here]];
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };
const HIDDEN = /(^|\/)(node_modules|test|e2e|package(-lock)?\.json|dev-server\.js)(\/|$)/;

function fileFor(path) {
  for (const [prefix, root] of ROOTS) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length) || 'index.html';
    const file = normalize(join(root, rest));
    return file.startsWith(root + sep) && !HIDDEN.test(rest) && TYPES[extname(file)] ? file : null;
  }
  return null;
}

/** Starts the server on 127.0.0.1; resolves with {url, close()}. */
export async function startDevServer({ port = 0, secret = null, gatewayUrl = null } = {}) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const reply = (status, type, body) => res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    if (req.method !== 'GET') return reply(405, 'text/plain', 'GET only');
    if (url.pathname === '/dev/token') {
      const sub = url.searchParams.get('sub');
      if (!secret) return reply(404, 'application/json', '{"error":"no development tokens here"}');
      if (!sub || sub.length > 200) return reply(400, 'application/json', '{"error":"sub needs 1 to 200 characters"}');
      return reply(200, 'application/json', JSON.stringify({ token: hs256Token(secret, sub) }));
    }
    if (url.pathname === '/' && gatewayUrl && !url.searchParams.has('gateway')) {
      url.searchParams.set('gateway', gatewayUrl);
      return res.writeHead(302, { location: `/${url.search}` }).end();
    }
    const file = fileFor(decodeURIComponent(url.pathname));
    if (!file) return reply(404, 'text/plain', 'not found');
    try {
      reply(200, `${TYPES[extname(file)]}; charset=utf-8`, await readFile(file));
    } catch {
      reply(404, 'text/plain', 'not found');
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    }),
  };
}

async function main() {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '8090' }, gateway: { type: 'string' }, secret: { type: 'string' }, stack: { type: 'boolean' } },
  });
  let stack = null;
  if (values.stack) {
    const { startStack } = await import('../js/e2e/stack.js');
    console.log('starting broker, processor and gateway (the first run builds with Maven)...');
    stack = await startStack();
  }
  const served = await startDevServer({
    port: Number(values.port),
    secret: stack?.secret ?? values.secret ?? null,
    gatewayUrl: stack?.wsUrl ?? values.gateway ?? null,
  });
  console.log(`demo on ${served.url} (gateway ${stack?.wsUrl ?? values.gateway ?? 'same origin /ws'}); Ctrl-C stops`);
  const stop = async () => {
    await served.close();
    await stack?.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
