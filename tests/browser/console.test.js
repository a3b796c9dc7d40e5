// Drives the /admin console in Debian's headless Chromium through playwright-core.
// Builds nothing: it runs the already-built `target/debug/benefits` (or $BENEFITS_BIN)
// on a temporary SQLite database with the demo data set, on a free port, and keeps a
// screenshot of every page, in Korean and English at desktop and phone width, in artifacts/.

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
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto(`${base}/admin`);
  await page.locator(role === 'ADMIN' ? '#dev-admin' : '#dev-agent').click();
  await page.locator('nav#nav ul').waitFor();
  return page;
}

/** Messages the pages logged as errors (a missing catalogue key is one). */
const consoleErrors = [];

async function shot(page, name) {
  await page.evaluate(() => document.getElementById('toast')?.classList.remove('show'));
  await page.waitForTimeout(250);
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/** Opens a section by its route and waits for its heading. */
async function goTo(page, route) {
  await page.locator(`nav#nav a[href="#/${route}"]`).click();
  await page.waitForFunction((r) => location.hash === `#/${r}` && document.querySelector('main h1'), route);
  await page.waitForLoadState('networkidle');
}

/** What a page says, without what it quotes or edits as data (texts as sent or as templates, audit details,
 * descriptions: marked `raw`), codes and the language switch. */
function visibleWords(page) {
  return page.evaluate(() => {
    const clone = document.body.cloneNode(true);
    for (const quoted of clone.querySelectorAll('.raw, code, textarea, #language, script, style')) quoted.remove();
    const words = [];
    const walker = document.createTreeWalker(clone, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) words.push(walker.currentNode.textContent);
    return words.join(' ');
  });
}

/** Latin words in Korean pages other than codes, ids and proper names. */
const PROPER = new Set(['KT', 'TVING', 'Disney', 'OTT', 'GB', 'MB', 'IoT', 'ID', 'KB', 'NH', 'IBK', 'SC', 'iM', 'KDB', 'MG', 'DB', 'LS', 'SK', 'CMA']);
function englishIn(text) {
  const withoutCodes = text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ' ')
    .replace(/\b[A-Z0-9]+(?:[-_][A-Z0-9]+)+\b/g, ' ')
    .replace(/\b[a-z]+(?:\.[a-z_]+)+\b/g, ' ')
    .replace(/\{[a-z]+\}/g, ' ');
  return (withoutCodes.match(/[A-Za-z]+/g) ?? []).filter((word) => !PROPER.has(word));
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

test('an agent finds a customer, applies for a refund on their behalf and sees the round, in Korean', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
  const page = await signIn(context, 'AGENT');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ko', 'Korean by default');
  const links = await page.getByRole('navigation', { name: '메뉴' }).getByRole('link').allTextContents();
  assert.deepEqual(links, ['고객 조회'], 'an agent sees only what agents may do');

  await page.getByLabel('휴대폰 번호').fill('010-1234-5678');
  await page.getByLabel('휴대폰 번호').press('Enter');
  const line = page.locator('[data-line="L-1001-1"]');
  await line.waitFor();
  assert.equal(
    await line.locator('.waiver').textContent(),
    '위약금 면제 대상입니다. 돌려드릴 위약금은 138,000원입니다.',
    'the answer the agent reads out',
  );
  assert.equal(await page.locator('#customer-title').textContent(), '김*지', 'names are masked the Korean way');

  await line.getByLabel('신청 경로').selectOption('CALL_CENTER');
  await line.getByLabel('은행').selectOption('004');
  assert.match(await line.getByLabel('은행').locator('option:checked').textContent(), /KB국민은행 \(004\)/);
  await line.getByLabel('계좌번호').fill('123-456-789012');
  await line.getByLabel('예금주').fill('김민지');
  await line.getByRole('button', { name: '환불 신청' }).click();
  const round = line.locator('.round');
  await round.waitFor();
  assert.equal(await round.textContent(), '1회차, 2026. 1. 22. 지급');
  const application = await line.locator('.application').textContent();
  assert.match(application, /고객센터 신청, 138,000원, KB국민은행 \*+9012/);
  assert.match(application, /\(신청 2026\. 1\. 15\. 10:00\)/, 'KST, Korean date format');

  // The customer gives another account: the agent corrects it while round 1 is open.
  const correct = line.getByRole('form', { name: '환불 계좌 수정' });
  await correct.getByLabel('은행').selectOption('088');
  await correct.getByLabel('계좌번호').fill('110-222-334321');
  await correct.getByLabel('예금주').fill('김민지');
  await correct.getByRole('button', { name: '계좌 저장' }).click();
  await line.locator('.application', { hasText: /신한은행 \*+4321/ }).waitFor();

  // A wrong account number length is explained in Korean.
  await correct.getByLabel('은행').selectOption('090');
  await correct.getByLabel('계좌번호').fill('3333-01-123456');
  await correct.getByLabel('예금주').fill('김민지');
  await correct.getByRole('button', { name: '계좌 저장' }).click();
  await page.getByRole('status').filter({ hasText: '이 은행의 계좌번호 자릿수가 아닙니다.' }).waitFor();
  await shot(page, 'ko-agent-customer');

  const storage = await page.evaluate(() => ({
    session: Object.keys(sessionStorage),
    local: Object.keys(localStorage),
  }));
  assert.deepEqual(storage, { session: ['benefits.console.token'], local: [] }, 'only the token is kept');

  // Phone width, for agents in shops: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 390, `page is ${overflow}px wide at 390px`);
  await shot(page, 'ko-agent-customer-phone');
  await context.close();
});

test('an agent sees a late application and checks whether a text is really from us', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
  const page = await signIn(context, 'AGENT');
  await page.getByLabel('휴대폰 번호').fill('010-7421-3308');
  await page.getByLabel('휴대폰 번호').press('Enter');
  await page.locator('[data-line="L-2001-1"] .late').waitFor();
  assert.match(
    await page.locator('[data-line="L-2001-1"] .late').textContent(),
    /지연 신청 허용\(입원, 2026\. 1\. 13\. 종료\): 2026\. 1\. 27\. 22:00까지 신청할 수 있습니다\./,
  );

  await page.getByLabel('휴대폰 번호').fill('010-1234-5678');
  await page.getByRole('button', { name: '고객 찾기' }).click();
  const reference = page.locator('table:has(caption:text("알림함")) tbody td').nth(2);
  await reference.waitFor();
  const check = page.getByRole('form', { name: '문자 확인' });
  await check.getByLabel('문자에 적힌 확인코드').fill((await reference.textContent()).toLowerCase());
  await check.getByRole('button', { name: '확인' }).click();
  await page.locator('.sms-answer .good').waitFor();
  assert.match(await page.locator('.sms-answer .good').textContent(), /\[KT\] 위약금 환불 대상입니다\./);
  await check.getByLabel('문자에 적힌 확인코드').fill('ABCD-EFGH');
  await check.getByRole('button', { name: '확인' }).click();
  await page.locator('.sms-answer .bad').waitFor();
  assert.match(await page.locator('.sms-answer .bad').textContent(), /저희가 보낸 문자가 아니니/);
  await shot(page, 'ko-agent-sms-check');
  await context.close();
});

test('an admin adds an offer, closes a round, reads its report by bank and edits the texts', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'ko-KR' });
  const page = await signIn(context, 'ADMIN');
  await page.getByRole('heading', { name: '대시보드', level: 1 }).waitFor();

  await goTo(page, 'partners');
  const create = page.getByRole('form', { name: '제휴사 추가' });
  await create.getByLabel('제휴사 ID').fill('P-COFFEE');
  await create.getByLabel('제휴사 이름').fill('빈센트커피');
  await create.getByLabel('분야').selectOption('COFFEE');
  await create.getByLabel('첫 매장 ID').fill('S-1');
  await create.getByLabel('첫 매장 이름').fill('빈센트커피 강남점');
  await create.getByRole('button', { name: '제휴사 추가' }).click();
  const partner = page.locator('[data-partner="P-COFFEE"]');
  await partner.waitFor();
  await partner.getByLabel('혜택 ID').fill('O-10');
  await partner.getByLabel('혜택 이름').fill('커피 10% 할인');
  await partner.getByLabel('할인율(%)').fill('10');
  await partner.getByLabel('최대 할인액(원)').fill('3000');
  await partner.getByLabel('최소 구매액(원)').fill('3000');
  await partner.getByLabel('회선당 하루 횟수').fill('2');
  await partner.getByRole('button', { name: '혜택 추가' }).click();
  await page.locator('[data-partner="P-COFFEE"] .offers li', { hasText: '커피 10% 할인' }).waitFor();
  assert.match(
    await page.locator('[data-partner="P-COFFEE"] .offers').textContent(),
    /10% 할인\(최대 3,000원\), 3,000원 이상 구매 시, 회선당 하루 2회/,
  );
  await partner.getByLabel('매장 ID').fill('S-2');
  await partner.getByLabel('매장 이름').fill('빈센트커피 마포점');
  await partner.getByRole('button', { name: '매장 추가' }).click();
  await page.locator('[data-partner="P-COFFEE"] .meta', { hasText: '빈센트커피 강남점, 빈센트커피 마포점' }).waitFor();

  await goTo(page, 'refunds');
  await page.getByRole('button', { name: '1회차 마감' }).click();
  const link = page.locator('#payout-files a.download');
  await link.waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), 'payout-round-1.csv');
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'application_id,bank_code,account_number,account_holder,amount');
  assert.equal(csv.length, 2, 'the agent’s application is in round 1');
  assert.match(csv[1], /,088,110-?222-?334321,김민지,138000$/, 'the corrected account is paid');
  assert.match(await page.locator('#payout-files table').textContent(), /신한은행 \(088\)1138,000원/, 'the report names the bank');
  await page.getByRole('button', { name: '1회차 지급 파일' }).waitFor();
  await shot(page, 'ko-admin-refunds');

  // A results file with an unknown id: the row is refused and reported.
  await page.getByLabel('결과 파일', { exact: true }).setInputFiles({
    name: 'results.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('application_id,result,amount,reason\nno-such-id,PAID,138000,\n'),
  });
  await page.getByRole('button', { name: '결과 기록' }).click();
  await page.getByRole('status').filter({ hasText: '기록 0건, 이미 기록됨 0건, 거부 1건입니다.' }).waitFor();
  await page.locator('#results-report td', { hasText: '거부: 없는 신청 번호입니다' }).waitFor();

  // The scheduled payout is recorded as paid.
  await page.getByRole('search', { name: '신청 찾기' }).getByLabel('상태').selectOption('SCHEDULED');
  await page.getByRole('button', { name: '신청 보기' }).click();
  await page.getByRole('button', { name: '지급 완료', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '지급 완료로 기록했습니다.' }).waitFor();

  // Round 2's application cut-off moves, and a round is added for late applications.
  await goTo(page, 'campaign');
  const round2 = page.getByRole('form', { name: '2회차 지급' });
  await round2.getByLabel('신청일 기준').fill('2026-01-30');
  await round2.getByRole('button', { name: '저장' }).click();
  await page.getByRole('status').filter({ hasText: '2회차를 저장했습니다.' }).waitFor();
  assert.equal(await page.getByRole('form', { name: '1회차 지급' }).getByLabel('지급일').isDisabled(), true, 'round 1 is closed');
  const add = page.getByRole('form', { name: '지급 회차 추가' });
  await add.getByLabel('지급일').fill('2026-02-26');
  await add.getByLabel('신청일 기준').fill('2026-02-20');
  await add.getByRole('button', { name: '회차 추가' }).click();
  await page.getByRole('status').filter({ hasText: '4회차를 추가했습니다.' }).waitFor();
  await page.getByRole('form', { name: '4회차 지급' }).waitFor();
  assert.equal(await page.getByRole('form', { name: '2회차 지급' }).getByLabel('신청일 기준').inputValue(), '2026-01-30');

  // A text with a link is refused with the reason; a plain one is saved.
  await goTo(page, 'texts');
  const sms = page.locator('[data-template="REFUND_PAID-KO-SMS"]');
  await sms.getByLabel('문구').fill('환불금을 지급했습니다. kt.com 에서 확인하십시오. 확인코드 {reference}');
  await sms.getByRole('button', { name: '저장' }).click();
  await page.getByRole('status').filter({ hasText: '문구에 링크를 넣을 수 없습니다.' }).waitFor();
  await sms.getByLabel('문구').fill('환불금을 보내 드렸습니다. 공식 앱에서 확인하십시오. 확인코드 {reference}');
  await sms.getByRole('button', { name: '저장' }).click();
  await page.locator('[data-template="REFUND_PAID-KO-SMS"] .preview', { hasText: '[KT] 환불금을 보내 드렸습니다.' }).waitFor();

  await page.locator('nav#nav a[href="#/audit"]').click();
  await page.locator('#audit-entries td', { hasText: 'payout.close_round' }).first().waitFor();
  assert.match(await page.locator('#audit-chain').textContent(), /해시 체인 .*이상 없음/);
  assert.match(await page.locator('#audit-entries').textContent(), /campaign\.set_template/);
  await context.close();
});

test('the dashboard draws its charts once there are grants and redemptions', async () => {
  // A month later on the same database: February's data grant and a coffee.
  await stopServer();
  await startServer(FEBRUARY);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
  const page = await signIn(context, 'ADMIN');

  await goTo(page, 'grants');
  await page.getByLabel('제공 월', { exact: true }).fill('2026-02');
  await page.getByRole('button', { name: '제공 실행' }).click();
  await page.locator('#grant-progress [data-month="2026-02"]', { hasText: '2026년 2월' }).waitFor();

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

  await goTo(page, 'dashboard');
  await page.locator('svg[data-chart="redemptions"] rect.bar').first().waitFor();
  for (const chart of ['eligibility', 'applications', 'amounts', 'redemptions', 'grants']) {
    const bars = await page.locator(`svg[data-chart="${chart}"] rect.bar`).count();
    assert.ok(bars > 0, `the ${chart} chart has bars`);
  }
  assert.match(await page.locator('.figures').textContent(), /원/, 'amounts in won');
  await shot(page, 'ko-admin-dashboard');
  if (dashboardShot) await page.screenshot({ path: resolve(dashboardShot), fullPage: true });
  await context.close();
});

/** The sections an admin opens, and what each needs to have something to show. */
const SECTIONS = ['dashboard', 'customers', 'campaign', 'texts', 'partners', 'ott', 'refunds', 'notices', 'grants', 'claims', 'audit'];

for (const language of ['ko', 'en']) {
  for (const width of [1280, 390]) {
    test(`every page in ${language === 'ko' ? 'Korean' : 'English'} at ${width} px: no missing message${language === 'ko' ? ', no English' : ''}, nothing wider than the screen`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 }, locale: language === 'ko' ? 'ko-KR' : 'en-GB' });
      await context.addInitScript((chosen) => localStorage.setItem('benefits.console.language', chosen), language);
      const page = await signIn(context, 'ADMIN');
      consoleErrors.length = 0;
      for (const section of SECTIONS) {
        await goTo(page, section);
        if (section === 'customers') {
          await page.locator('main input[name="phone"]').fill('010-1234-5678');
          await page.locator('main form.search button').click();
          await page.locator('[data-line="L-1001-1"]').waitFor();
        }
        const words = await visibleWords(page);
        assert.ok(!words.includes('⟦'), `${section}: a message is missing: ${words.match(/⟦[^⟧]*⟧/)}`);
        if (language === 'ko') {
          assert.deepEqual(englishIn(words), [], `${section}: English in the Korean page`);
        }
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(scroll <= width, `${section} is ${scroll}px wide at ${width}px`);
        await shot(page, `${language}-${width}-${section}`);
      }
      assert.deepEqual(consoleErrors, [], 'no page logged an error');
      await context.close();
    });
  }
}

test('the language switch is remembered in this browser, and formats follow it', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
  const page = await signIn(context, 'ADMIN');
  await page.locator('#language').click();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Dashboard' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.reload();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Refunds' }).click();
  await page.getByRole('heading', { name: 'Refunds', level: 1 }).waitFor();
  assert.match(await page.locator('main').textContent(), /Round 2, paid on 5 Feb 2026/);
  const storage = await page.evaluate(() => ({ session: Object.keys(sessionStorage), local: Object.keys(localStorage) }));
  assert.deepEqual(storage, { session: ['benefits.console.token'], local: ['benefits.console.language'] });
  await page.locator('#language').click();
  await page.getByRole('heading', { name: '환불', level: 1 }).waitFor();
  assert.match(await page.locator('main').textContent(), /2회차, 2026\. 2\. 5\. 지급/);
  await context.close();
});

test('the keyboard reaches the sign-in and the console answers with a strict policy', async () => {
  const context = await browser.newContext({ locale: 'ko-KR' });
  const page = await context.newPage();
  const response = await page.goto(`${base}/admin/`);
  assert.match(response.headers()['content-security-policy'], /script-src 'self'/);
  await page.locator('#dev-agent').waitFor();
  // Tab from the top: skip link, the language switch, sign-out is hidden, then the two sign-in buttons.
  let focused = '';
  for (let i = 0; i < 8 && focused !== 'dev-admin'; i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.id);
  }
  assert.equal(focused, 'dev-admin');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '대시보드', level: 1 }).waitFor();
  await shot(page, 'sign-in-by-keyboard');
  await context.close();
});
