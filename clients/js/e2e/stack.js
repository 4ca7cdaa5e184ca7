import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hs256Token } from './jwt.js';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '../../..');
const gatewayJar = join(repo, 'gateway/target/docstream-gateway-0.1.0-SNAPSHOT.jar');
const classpathFile = join(repo, 'gateway/target/cp.txt');

function newestSource(dir, newest = 0) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'target' || entry.name.startsWith('.') || entry.name === 'clients') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = newestSource(path, newest);
    else if (path.includes('/src/main/') || entry.name === 'pom.xml') newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the gateway and everything it needs with Maven unless the jars are newer than the sources. */
export function buildJars() {
  if (existsSync(classpathFile) && existsSync(gatewayJar) && statSync(gatewayJar).mtimeMs >= newestSource(repo)) return;
  const args = ['-q', '-B', '-DskipTests', '-Dspotless.check.skip=true', 'package', 'dependency:build-classpath',
    '-Dmdep.outputFile=target/cp.txt', '-Dmdep.includeScope=test', '-pl', 'gateway', '-am'];
  const built = spawnSync('mvn', args, { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
  if (built.status !== 0) throw new Error(`mvn ${args.join(' ')} failed with ${built.status}`);
}

/**
 * Starts broker, topics, processor and gateway (Stack.java) on 127.0.0.1 in a fresh directory.
 * Resolves with {gatewayPort, wsUrl, secret, token(subject), stop()}; stop() ends the stack (the
 * broker JVM notices its parent's exit) and removes the directory.
 */
export async function startStack({ settings = {}, timeoutMs = 240000 } = {}) {
  buildJars();
  const dir = mkdtempSync(join(tmpdir(), 'docstream-e2e-'));
  const secret = 'e2e-secret-e2e-secret-e2e-secret-e2e-0123';
  const log = openSync(join(dir, 'stack.log'), 'a');
  const java = spawn(
    'java',
    [
      `-Dlogback.configurationFile=${join(here, 'logback.xml')}`,
      '-Xmx512m',
      '-cp', `${gatewayJar}:${readFileSync(classpathFile, 'utf8').trim()}`,
      join(here, 'Stack.java'),
      dir,
      secret,
      ...Object.entries(settings).map(([k, v]) => `${k}=${v}`),
    ],
    { stdio: ['pipe', 'pipe', log] },
  );
  const exited = new Promise((done) => java.once('exit', (code, signal) => done(code ?? signal)));
  const stop = async () => {
    java.stdin.end();
    const timer = setTimeout(() => java.kill('SIGKILL'), 20000);
    await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };
  const ready = await new Promise((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`stack not ready within ${timeoutMs} ms; see ${dir}/stack.log`)), timeoutMs);
    const read = (chunk) => {
      out += chunk;
      const line = /^READY (.*)\n/m.exec(out);
      if (!line) return;
      java.stdout.off('data', read);
      java.stdout.resume();
      clearTimeout(timer);
      done(JSON.parse(line[1]));
    };
    java.stdout.on('data', read);
    exited.then((code) => fail(new Error(`stack exited with ${code}: ${readFileSync(join(dir, 'stack.log'), 'utf8').slice(-3000)}`)));
  }).catch(async (e) => {
    await stop();
    throw e;
  });
  return {
    ...ready,
    dir,
    secret,
    wsUrl: `ws://127.0.0.1:${ready.gateway}/ws`,
    token: (subject) => hs256Token(secret, subject),
    stop,
  };
}
