// The console's sign-in through an identity provider, in headless Chromium: a minimal
// OpenID Connect provider of this test's own (discovery, JWKS, an authorization
// endpoint that signs a configured admin in at once, a token endpoint that checks the
// PKCE verifier and issues an ES256 token) and the built `benefits` trusting it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const binary = resolve(process.env.BENEFITS_BIN ?? join(here, '../../target/debug/benefits'));
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const artifacts = join(here, 'artifacts');
const CLOCK = '2026-01-15T10:00:00+09:00';
const CLIENT_ID = 'benefits-console';

const workdir = mkdtempSync(join(tmpdir(), 'benefits-oidc-'));
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'console-test', alg: 'ES256', use: 'sig' };
const grants = new Map();
let provider;
let issuer;
let server;
let base;
let browser;

const base64url = (buffer) => Buffer.from(buffer).toString('base64url');

function token(claims) {
  const input = `${base64url(JSON.stringify({ alg: 'ES256', kid: jwk.kid, typ: 'at+jwt' }))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${base64url(signature)}`;
}

function json(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** The provider: signs `kim` in as an ADMIN for any client that asks with PKCE S256. */
function handle(request, response) {
  const url = new URL(request.url, issuer);
  if (url.pathname === '/realms/benefits/.well-known/openid-configuration') {
    return json(response, 200, {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      code_challenge_methods_supported: ['S256'],
    });
  }
  if (url.pathname === '/realms/benefits/jwks') return json(response, 200, { keys: [jwk] });
  if (url.pathname === '/realms/benefits/authorize') {
    const q = url.searchParams;
    if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || q.get('client_id') !== CLIENT_ID) {
      return json(response, 400, { error: 'invalid_request' });
    }
    const code = randomUUID();
    grants.set(code, { challenge: q.get('code_challenge'), redirect: q.get('redirect_uri') });
    const back = new URL(q.get('redirect_uri'));
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.get('state'));
    response.writeHead(302, { location: back.toString() });
    return response.end();
  }
  if (url.pathname === '/realms/benefits/token' && request.method === 'POST') {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      const grant = grants.get(form.get('code'));
      grants.delete(form.get('code'));
      const challenge = createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url');
      if (!grant || grant.challenge !== challenge || grant.redirect !== form.get('redirect_uri')) {
        return json(response, 400, { error: 'invalid_grant' });
      }
      const now = Date.parse(CLOCK) / 1000;
      json(response, 200, {
        token_type: 'Bearer',
        expires_in: 300,
        access_token: token({
          iss: issuer,
          aud: ['account', 'benefits-api'],
          sub: 'kim',
          iat: now,
          exp: now + 300,
          realm_access: { roles: ['offline_access', 'ADMIN'] },
        }),
      });
    });
    return undefined;
  }
  return json(response, 404, {});
}

function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  provider = createHttpServer(handle);
  await new Promise((r) => provider.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${provider.address().port}/realms/benefits`;
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('BENEFITS_')));
  server = spawn(binary, ['serve', '--listen', `127.0.0.1:${port}`], {
    env: {
      ...env,
      BENEFITS_DATABASE_URL: `sqlite://${join(workdir, 'benefits.db')}`,
      BENEFITS_CLOCK: CLOCK,
      BENEFITS_LOG_FORMAT: 'json',
      BENEFITS_TOKEN_JWKS: `${issuer}/jwks`,
      BENEFITS_TOKEN_ISSUER: issuer,
      BENEFITS_TOKEN_ROLE_CLAIM: 'realm_access.roles',
      BENEFITS_OIDC_ISSUER: issuer,
      BENEFITS_OIDC_CLIENT_ID: CLIENT_ID,
      BENEFITS_OIDC_REDIRECT_URI: `${base}/admin/`,
    },
    stdio: ['ignore', 'ignore', openSync(join(artifacts, 'oidc-server.log'), 'a')],
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({ executablePath: chromiumPath });
});

after(async () => {
  await browser?.close();
  if (server) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  await new Promise((r) => provider.close(r));
  rmSync(workdir, { recursive: true, force: true });
});

test('an admin signs in to the console through the identity provider with PKCE', async () => {
  const context = await browser.newContext();
  // The console in English, as this test reads it (Korean is tested in console.test.js).
  await context.addInitScript(() => localStorage.setItem('benefits.console.language', 'en'));
  const page = await context.newPage();
  await page.goto(`${base}/admin/`);
  assert.equal(await page.getByRole('button', { name: 'Admin' }).count(), 0, 'no development sign-in');
  await page.locator('#oidc-sign-in').click();
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  assert.match(await page.locator('#who').textContent(), /^kim · admin$/i);
  assert.equal(new URL(page.url()).search, '', 'the code is gone from the address');
  const storage = await page.evaluate(() => Object.keys(sessionStorage));
  assert.deepEqual(storage, ['benefits.console.token'], 'only the token is kept');
  await page.reload();
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  await page.screenshot({ path: join(artifacts, 'oidc-signed-in.png') });
  await context.close();
});
