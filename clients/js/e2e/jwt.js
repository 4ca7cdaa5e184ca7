import { createHmac } from 'node:crypto';

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** An HS256 JWT naming `subject`, as the gateway's development auth (auth.hs256.secret) accepts. */
export function hs256Token(secret, subject, ttlSeconds = 3600) {
  const body = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: subject, exp: Math.floor(Date.now() / 1000) + ttlSeconds })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
