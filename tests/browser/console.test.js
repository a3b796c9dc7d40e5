// Drives the /admin console in Debian's headless Chromium through playwright-core.
// Builds nothing: it runs the already-built `target/debug/benefits` (or $BENEFITS_BIN)
// on a temporary SQLite database with the demo data set, on a free port, and keeps a
// screenshot of each main page in artifacts/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const binary = resolve(process.env.BENEFITS_BIN ?? join(here, '../../target/debug/benefits'));
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const artifacts = join(here, 'artifacts');
const dashboardShot = process.env.DASHBOARD_SCREENSHOT; // the README's copy, when asked for

/** Inside the refund application window (round 1 takes applications until 01-18). */
const JANUARY = '2026-01-15T10:00:00+09:00';
/** Inside the discount period and the first month of monthly data. */
const FEBRUARY = '2026-02-10T12:00:00+09:00';

const workdir = mkdtempSync(join(tmpdir(), 'benefits-console-'));
const database = `sqlite://${join(workdir, 'benefits.db')}`;
let server;
let base;
let browser;


function cleanEnv(clock) {
  const result = {
    ...process.env,
    BENEFITS_DATABASE_URL: database,
    BENEFITS_CLOCK: clock,
    BENEFITS_LOG_FORMAT: 'json',
  };
  // The embedded default: no configured keys, development keys beside the database.
  for (const name of Object.keys(result)) {
    if (name.startsWith('BENEFITS_') && !['BENEFITS_DATABASE_URL', 'BENEFITS_CLOCK', 'BENEFITS_LOG_FORMAT'].includes(name)) {
      delete result[name];
    }
  }
  return result;
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

async function startServer(clock) {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(binary, ['serve', '--listen', `127.0.0.1:${port}`], {
    env: cleanEnv(clock),
    stdio: ['ignore', 'ignore', openSync(join(artifacts, 'server.log'), 'a')],
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not come up');
}

async function stopServer() {
  if (!server) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await exited;
  server = undefined;
}

function cli(clock, ...args) {
  return execFileSync(binary, args, { env: cleanEnv(clock), encoding: 'utf8' }).trim();
}

async function api(token, query, variables = {}) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

async function signIn(context, role) {
  const page = await context.newPage();
  await page.goto(`${base}/admin`);
  await page.getByRole('button', { name: role === 'ADMIN' ? 'Admin' : 'Agent' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
  return page;
}

async function shot(page, name) {
  await page.evaluate(() => document.getElementById('toast')?.classList.remove('show'));
  await page.waitForTimeout(250);
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

async function goTo(page, section) {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section }).click();
  await page.getByRole('heading', { level: 1 }).filter({ hasText: section === 'Data grant' ? 'Monthly data grant' : section }).waitFor();
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  cli(JANUARY, 'seed', '--demo');
  await startServer(JANUARY);
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  await stopServer();
  rmSync(workdir, { recursive: true, force: true });
});

test('an agent finds a customer, applies for a refund on their behalf and sees the round', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await signIn(context, 'AGENT');
  const links = await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').allTextContents();
  assert.deepEqual(links, ['Customers'], 'an agent sees only what agents may do');

  await page.getByLabel('Mobile number').fill('010-1234-5678');
  await page.getByLabel('Mobile number').press('Enter');
  const line = page.locator('[data-line="L-1001-1"]');
  await line.waitFor();
  assert.match(await line.locator('.waiver').textContent(), /Eligible: the fee is waived, ₩138,000/);
  assert.doesNotMatch(await page.locator('#customer-title').textContent(), /김민지/, 'names are masked for staff');

  await line.getByLabel('Channel').selectOption('CALL_CENTER');
  await line.getByLabel('Bank code').fill('004');
  await line.getByLabel('Account number').fill('123-456-789012');
  await line.getByLabel('Account holder').fill('김민지');
  await line.getByRole('button', { name: 'Apply for refund' }).click();
  const round = line.locator('.round');
  await round.waitFor();
  assert.equal(await round.textContent(), 'round 1, paid on 2026-01-22');
  assert.match(await line.locator('.application').textContent(), /over call centre/);
  assert.match(await line.locator('.application').textContent(), /\*+9012/);

  // The customer gives another account: the agent corrects it while round 1 is open.
  const correct = line.getByRole('form', { name: 'Correct the refund account' });
  await correct.getByLabel('Bank code').fill('088');
  await correct.getByLabel('Account number').fill('110-222-334321');
  await correct.getByLabel('Account holder').fill('김민지');
  await correct.getByRole('button', { name: 'Save account' }).click();
  await line.locator('.application', { hasText: /088 \*+4321/ }).waitFor();
  await shot(page, 'agent-customer');

  const storage = await page.evaluate(() => ({
    session: Object.keys(sessionStorage),
    local: Object.keys(localStorage),
  }));
  assert.deepEqual(storage, { session: ['benefits.console.token'], local: [] }, 'only the token is kept');

  // Phone width, for agents in shops: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 390, `page is ${overflow}px wide at 390px`);
  await shot(page, 'agent-customer-phone');
  await context.close();
});

test('an agent sees a late application and checks whether a text is really from us', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await signIn(context, 'AGENT');
  await page.getByLabel('Mobile number').fill('010-7421-3308');
  await page.getByLabel('Mobile number').press('Enter');
  await page.locator('[data-line="L-2001-1"] .late').waitFor();
  assert.match(await page.locator('[data-line="L-2001-1"] .late').textContent(), /hospitalisation ended 2026-01-13/);

  await page.getByLabel('Mobile number').fill('010-1234-5678');
  await page.getByRole('button', { name: 'Find customer' }).click();
  const reference = page.locator('table:has(caption:text("Inbox")) tbody td').nth(2);
  await reference.waitFor();
  const check = page.getByRole('form', { name: 'Check a text message' });
  await check.getByLabel('Reference in the text').fill((await reference.textContent()).toLowerCase());
  await check.getByRole('button', { name: 'Check' }).click();
  await page.locator('.sms-answer .good').waitFor();
  await check.getByLabel('Reference in the text').fill('ABCD-EFGH');
  await check.getByRole('button', { name: 'Check' }).click();
  await page.locator('.sms-answer .bad').waitFor();
  await shot(page, 'agent-sms-check');
  await context.close();
});

test('an admin adds an offer, closes a round and downloads its payout file', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await signIn(context, 'ADMIN');
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();

  await goTo(page, 'Partners');
  const create = page.getByRole('form', { name: 'Add a partner' });
  await create.getByLabel('Partner id').fill('P-COFFEE');
  await create.getByLabel('Name', { exact: true }).fill('Bean There');
  await create.getByLabel('Category').selectOption('COFFEE');
  await create.getByLabel('First store id').fill('S-1');
  await create.getByLabel('First store name').fill('Gangnam');
  await create.getByRole('button', { name: 'Add partner' }).click();
  const partner = page.locator('[data-partner="P-COFFEE"]');
  await partner.waitFor();
  await partner.getByLabel('Offer id').fill('O-10');
  await partner.getByLabel('Title').fill('10% off coffee');
  await partner.getByLabel('Percent off').fill('10');
  await partner.getByLabel('Largest discount (KRW)').fill('3000');
  await partner.getByLabel('Minimum purchase (KRW)').fill('3000');
  await partner.getByLabel('Per line per day').fill('2');
  await partner.getByRole('button', { name: 'Add offer' }).click();
  await page.locator('[data-partner="P-COFFEE"] .offers li', { hasText: '10% off coffee' }).waitFor();
  assert.match(
    await page.locator('[data-partner="P-COFFEE"] .offers').textContent(),
    /10% off up to ₩3,000, from ₩3,000, 2\/day per line/,
  );
  await partner.getByLabel('Store id').fill('S-2');
  await partner.getByLabel('Store name').fill('Mapo');
  await partner.getByRole('button', { name: 'Add store' }).click();
  await page.locator('[data-partner="P-COFFEE"] .meta', { hasText: 'Gangnam, Mapo' }).waitFor();
  await page.locator('[data-partner="P-COFFEE"] .offers li', { hasText: '10% off coffee' }).waitFor();
  await shot(page, 'admin-partners');

  await goTo(page, 'Refunds');
  await page.getByRole('button', { name: 'Close round 1' }).click();
  const link = page.locator('#payout-files a.download');
  await link.waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), 'payout-round-1.csv');
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'application_id,bank_code,account_number,account_holder,amount');
  assert.equal(csv.length, 2, 'the agent’s application is in round 1');
  assert.match(csv[1], /,088,110-?222-?334321,김민지,138000$/, 'the corrected account is paid');
  await page.getByRole('button', { name: 'Payout file of round 1' }).waitFor();
  await shot(page, 'admin-refunds');

  // The scheduled payout is recorded as paid.
  await page.getByRole('search', { name: 'Filter applications' }).getByLabel('Status').selectOption('SCHEDULED');
  await page.getByRole('button', { name: 'Show applications' }).click();
  await page.getByRole('button', { name: 'Paid', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Payout recorded as paid' }).waitFor();

  // Round 2's application cut-off moves (admins edit open rounds).
  await goTo(page, 'Campaign');
  const round2 = page.getByRole('form', { name: 'Payout round 2' });
  await round2.getByLabel('Applied on or before').fill('2026-01-26');
  await round2.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Round 2 saved.' }).waitFor();
  assert.equal(await page.getByRole('form', { name: 'Payout round 1' }).getByLabel('Paid on').isDisabled(), true, 'round 1 is closed');
  await goTo(page, 'Notices');
  await goTo(page, 'Campaign');
  assert.equal(await page.getByRole('form', { name: 'Payout round 2' }).getByLabel('Applied on or before').inputValue(), '2026-01-26');

  for (const [section, name] of [
    ['Campaign', 'admin-campaign'],
    ['OTT catalog', 'admin-ott'],
    ['Notices', 'admin-notices'],
    ['Claims', 'admin-claims'],
  ]) {
    await goTo(page, section === 'Claims' ? 'Claims' : section);
    await shot(page, name);
  }
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Audit log' }).click();
  await page.locator('#audit-entries td', { hasText: 'payout.close_round' }).first().waitFor();
  assert.match(await page.locator('#audit-chain').textContent(), /Hash chain intact/);
  assert.match(await page.locator('#audit-entries').textContent(), /refund\.apply/);
  await shot(page, 'admin-audit');
  await context.close();
});

test('the dashboard draws its charts once there are grants and redemptions', async () => {
  // A month later on the same database: February's data grant and a coffee.
  await stopServer();
  await startServer(FEBRUARY);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await signIn(context, 'ADMIN');

  await goTo(page, 'Data grant');
  await page.getByLabel('Month', { exact: true }).fill('2026-02');
  await page.getByRole('button', { name: 'Run grant' }).click();
  await page.locator('#grant-progress td', { hasText: '2026-02' }).waitFor();
  await shot(page, 'admin-grants');

  const customer = cli(FEBRUARY, 'token', '--role', 'CUSTOMER', '--customer', 'C-1006');
  const store = cli(FEBRUARY, 'token', '--role', 'PARTNER_STORE', '--store', 'S-1');
  const { me } = await api(customer, '{ me { lines { id externalId } } }');
  const lineId = me.lines.find((l) => l.externalId === 'L-1006-1').id;
  const { partners } = await api(store, '{ partners { offers { id externalId } } }');
  const offerId = partners.flatMap((p) => p.offers).find((o) => o.externalId === 'O-10').id;
  for (const key of ['a', 'b']) {
    const { issueDiscountCode } = await api(customer, 'mutation($l: ID!) { issueDiscountCode(lineId: $l) { code } }', { l: lineId });
    await api(store, 'mutation($i: RedeemDiscountInput!) { redeemDiscount(input: $i) { id } }', {
      i: { code: issueDiscountCode.code, offerId, purchaseAmount: 12000, idempotencyKey: key },
    });
  }

  await goTo(page, 'Dashboard');
  await page.locator('svg[data-chart="redemptions"] rect.bar').first().waitFor();
  for (const chart of ['eligibility', 'applications', 'amounts', 'redemptions', 'grants']) {
    const bars = await page.locator(`svg[data-chart="${chart}"] rect.bar`).count();
    assert.ok(bars > 0, `the ${chart} chart has bars`);
  }
  await shot(page, 'admin-dashboard');
  if (dashboardShot) await page.screenshot({ path: resolve(dashboardShot), fullPage: true });

  await page.setViewportSize({ width: 390, height: 844 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `dashboard is ${width}px wide at 390px`);
  await shot(page, 'admin-dashboard-phone');
  await context.close();
});

test('the keyboard reaches the sign-in and the console answers with a strict policy', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(`${base}/admin/`);
  assert.match(response.headers()['content-security-policy'], /script-src 'self'/);
  await page.getByRole('button', { name: 'Agent' }).waitFor();
  // Tab from the top: skip link, sign-out is hidden, then the two sign-in buttons.
  let focused = '';
  for (let i = 0; i < 6 && focused !== 'Admin'; i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
  }
  assert.equal(focused, 'Admin');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  await shot(page, 'sign-in-by-keyboard');
  await context.close();
});
