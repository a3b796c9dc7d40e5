// The admins' sections: campaign, partners and offers, OTT catalog, refunds and payout
// rounds, notices, the monthly data grant, insurance claims and the audit log.

import { gql } from './api.js';
import { button, dateTime, field, fill, h, krw, say, sayError, table, values, words } from './dom.js';

/** Runs `work`, reporting a refusal; resolves to its result or undefined. */
async function attempt(work) {
  try {
    return await work();
  } catch (error) {
    sayError(error);
    return undefined;
  }
}

function section(main, title, intro, ...content) {
  fill(main, h('h1', {}, title), intro ? h('p', {}, intro) : null, ...content);
}

function submitter(form, action) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    try {
      await attempt(() => action(values(form)));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// ---- Campaign -------------------------------------------------------------------

const CAMPAIGN = `{ campaign { code name baselineDate eligibilityCheckOpens applicationsOpenAt applicationsCloseAt baseDate
  periods { kind first last } payoutRounds { number payDate cancelledUntil appliedUntil closed } } }`;

export async function campaign(main) {
  const data = await attempt(() => gql(CAMPAIGN));
  if (!data) return;
  const c = data.campaign;
  const periodRows = c.periods.map((p) => {
    const form = submitter(
      h(
        'form',
        { class: 'row-form', 'aria-label': `${words(p.kind)} period` },
        field('First day', { name: 'first', type: 'date', value: p.first, required: true }),
        field('Last day', { name: 'last', type: 'date', value: p.last, required: true }),
        h('button', { type: 'submit' }, 'Save'),
      ),
      async (v) => {
        await gql(`mutation($kind: CampaignPeriod!, $first: String!, $last: String!) {
          updateCampaignPeriod(kind: $kind, first: $first, last: $last) { code } }`, { kind: p.kind, ...v });
        say(`${words(p.kind)} saved.`);
      },
    );
    return [words(p.kind), form];
  });
  const roundRows = c.payoutRounds.map((r) => {
    const form = submitter(
      h(
        'form',
        { class: 'row-form', 'aria-label': `Payout round ${r.number}` },
        field('Paid on', { name: 'payDate', type: 'date', value: r.payDate, required: true, disabled: r.closed }),
        field('Cancelled on or before (empty: any)', { name: 'cancelledUntil', type: 'date', value: r.cancelledUntil ?? '', disabled: r.closed }),
        field('Applied on or before', { name: 'appliedUntil', type: 'date', value: r.appliedUntil, required: true, disabled: r.closed }),
        r.closed ? h('span', { class: 'badge' }, 'closed') : h('button', { type: 'submit' }, 'Save'),
      ),
      async (v) => {
        await gql(`mutation($input: PayoutRoundInput!) { updatePayoutRound(input: $input) { code } }`, {
          input: { number: r.number, payDate: v.payDate, cancelledUntil: v.cancelledUntil ?? null, appliedUntil: v.appliedUntil },
        });
        say(`Round ${r.number} saved.`);
      },
    );
    return [String(r.number), form];
  });
  section(
    main,
    'Campaign',
    `${c.name} (${c.code}). All dates are Korea Standard Time.`,
    table('Key dates', ['What', 'When'], [
      ['Subscribed at the end of', c.baselineDate],
      ['Eligibility checking opens', c.eligibilityCheckOpens],
      ['Applications', `${dateTime(c.applicationsOpenAt)} to ${dateTime(c.applicationsCloseAt)}`],
      ['Appreciation program base date', c.baseDate],
    ]),
    table('Benefit periods', ['Period', 'Days (both included)'], periodRows),
    table('Payout rounds', ['Round', 'Dates'], roundRows),
  );
}

// ---- Partners, stores and offers --------------------------------------------------

const PARTNERS = `{ partners(first: 500) { id externalId name category stores { externalId name }
  offers { externalId title percentOff maxDiscount amountOff minPurchase perDay perMonth perProgram } } }`;
const UPSERT_PARTNER = `mutation($input: PartnerInput!) { upsertPartner(input: $input) { id offers { externalId } } }`;

const CATEGORIES = ['COFFEE', 'CINEMA', 'BAKERY', 'ICE_CREAM'];
const int = (text) => (text === undefined ? null : Number.parseInt(text, 10));

function offerText(o) {
  const discount = o.amountOff !== null ? `${krw(o.amountOff)} off` : `${o.percentOff}% off${o.maxDiscount !== null ? ` up to ${krw(o.maxDiscount)}` : ''}`;
  const limits = [
    o.perDay !== null ? `${o.perDay}/day` : null,
    o.perMonth !== null ? `${o.perMonth}/month` : null,
    o.perProgram !== null ? `${o.perProgram} in all` : null,
  ].filter(Boolean);
  return `${discount}, from ${krw(o.minPurchase)}${limits.length ? `, ${limits.join(', ')} per line` : ''}`;
}

function offerForm(partner, reload) {
  return submitter(
    h(
      'form',
      { class: 'inline-form', 'aria-label': `Add an offer to ${partner.name}` },
      h('h4', {}, 'Add an offer'),
      field('Offer id', { name: 'externalId', required: true }),
      field('Title', { name: 'title', required: true }),
      field('Percent off', { name: 'percentOff', type: 'number', min: '1', max: '100' }),
      field('Largest discount (KRW)', { name: 'maxDiscount', type: 'number', min: '0' }),
      field('Amount off (KRW)', { name: 'amountOff', type: 'number', min: '0' }),
      field('Minimum purchase (KRW)', { name: 'minPurchase', type: 'number', min: '0', required: true, value: '0' }),
      field('Per line per day', { name: 'perDay', type: 'number', min: '1' }),
      field('Per line per month', { name: 'perMonth', type: 'number', min: '1' }),
      field('Per line in all', { name: 'perProgram', type: 'number', min: '1' }),
      h('button', { type: 'submit' }, 'Add offer'),
    ),
    async (v) => {
      const offer = {
        externalId: v.externalId,
        title: v.title,
        percentOff: int(v.percentOff),
        maxDiscount: int(v.maxDiscount),
        amountOff: int(v.amountOff),
        minPurchase: int(v.minPurchase) ?? 0,
        perDay: int(v.perDay),
        perMonth: int(v.perMonth),
        perProgram: int(v.perProgram),
      };
      const input = {
        externalId: partner.externalId,
        name: partner.name,
        category: partner.category,
        stores: partner.stores,
        offers: [...partner.offers.filter((o) => o.externalId !== offer.externalId), offer],
      };
      await gql(UPSERT_PARTNER, { input });
      say(`Offer “${offer.title}” added to ${partner.name}.`);
      await reload();
    },
  );
}

function storeForm(partner, reload) {
  return submitter(
    h(
      'form',
      { class: 'inline-form', 'aria-label': `Add a store to ${partner.name}` },
      h('h4', {}, 'Add a store'),
      field('Store id', { name: 'externalId', required: true }),
      field('Store name', { name: 'name', required: true }),
      h('button', { type: 'submit' }, 'Add store'),
    ),
    async (v) => {
      const input = {
        externalId: partner.externalId,
        name: partner.name,
        category: partner.category,
        stores: [...partner.stores.filter((s) => s.externalId !== v.externalId), { externalId: v.externalId, name: v.name }],
        offers: partner.offers,
      };
      await gql(UPSERT_PARTNER, { input });
      say(`Store ${v.name} added to ${partner.name}.`);
      await reload();
    },
  );
}

function withdrawButton(partner, offer, reload) {
  return button(
    `Withdraw`,
    () =>
      attempt(async () => {
        const input = {
          externalId: partner.externalId,
          name: partner.name,
          category: partner.category,
          stores: partner.stores,
          offers: partner.offers.filter((o) => o.externalId !== offer.externalId),
        };
        await gql(UPSERT_PARTNER, { input });
        say(`Offer “${offer.title}” withdrawn.`);
        await reload();
      }),
    { class: 'quiet', 'aria-label': `Withdraw ${offer.title}` },
  );
}

export async function partners(main) {
  const reload = () => partners(main);
  const data = await attempt(() => gql(PARTNERS));
  if (!data) return;
  const create = submitter(
    h(
      'form',
      { class: 'card inline-form', 'aria-label': 'Add a partner' },
      h('h2', {}, 'Add a partner'),
      field('Partner id', { name: 'externalId', required: true }),
      field('Name', { name: 'name', required: true }),
      field('Category', { name: 'category', options: CATEGORIES.map((c) => [c, words(c)]) }),
      field('First store id', { name: 'storeId', required: true }),
      field('First store name', { name: 'storeName', required: true }),
      h('button', { type: 'submit' }, 'Add partner'),
    ),
    async (v) => {
      await gql(UPSERT_PARTNER, {
        input: { externalId: v.externalId, name: v.name, category: v.category, stores: [{ externalId: v.storeId, name: v.storeName }], offers: [] },
      });
      say(`Partner ${v.name} added.`);
      await reload();
    },
  );
  section(
    main,
    'Partners',
    'Partners, their stores and current offers. An offer left out of a partner is withdrawn.',
    data.partners.map((p) =>
      h(
        'section',
        { class: 'card partner', 'data-partner': p.externalId },
        h('h2', {}, `${p.name} `, h('span', { class: 'badge' }, words(p.category))),
        h('p', { class: 'meta' }, `${p.externalId} · stores: ${p.stores.map((s) => s.name).join(', ') || 'none'}`),
        h(
          'ul',
          { class: 'offers' },
          p.offers.map((o) => h('li', {}, h('strong', {}, o.title), ` (${o.externalId}): ${offerText(o)} `, withdrawButton(p, o, reload))),
        ),
        offerForm(p, reload),
        storeForm(p, reload),
      ),
    ),
    create,
  );
}

// ---- OTT catalog ----------------------------------------------------------------

export async function ott(main) {
  const data = await attempt(() => gql('{ ottServices { id externalId name } }'));
  if (!data) return;
  const form = submitter(
    h(
      'form',
      { class: 'card inline-form', 'aria-label': 'Add or rename an OTT service' },
      h('h2', {}, 'Add or rename a service'),
      field('Service id', { name: 'externalId', required: true }),
      field('Name', { name: 'name', required: true }),
      h('button', { type: 'submit' }, 'Save service'),
    ),
    async (v) => {
      await gql('mutation($id: String!, $name: String!) { upsertOttService(externalId: $id, name: $name) { id } }', { id: v.externalId, name: v.name });
      say(`${v.name} saved.`);
      await ott(main);
    },
  );
  section(main, 'OTT catalog', 'Customers choose one of these services.', table('Services', ['Id', 'Name'], data.ottServices.map((s) => [s.externalId, s.name])), form);
}

// ---- Refunds and payout rounds ---------------------------------------------------

const STATUSES = ['SUBMITTED', 'SCHEDULED', 'PAID', 'FAILED'];

function download(filename, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const link = h('a', { href: url, download: filename, class: 'download' }, `Download ${filename}`);
  return link;
}

export async function refunds(main) {
  const results = h('div', { id: 'applications' });
  const files = h('div', { id: 'payout-files', 'aria-live': 'polite' });
  const data = await attempt(() =>
    gql(`{ campaign { payoutRounds { number payDate closed } }
      refundOverview { applications { round status count amount } } }`),
  );
  if (!data) return;
  const filter = h(
    'form',
    { class: 'card row-form', role: 'search', 'aria-label': 'Filter applications' },
    field('Round', { name: 'round', options: [['', 'Any'], ...data.campaign.payoutRounds.map((r) => [String(r.number), `Round ${r.number}`])] }),
    field('Status', { name: 'status', options: [['', 'Any'], ...STATUSES.map((s) => [s, s])] }),
    h('button', { type: 'submit' }, 'Show applications'),
  );
  const list = async (v) => {
    const found = await gql(
      `query($round: Int, $status: RefundStatus) { refundApplications(round: $round, status: $status, first: 200) {
        id status channel amount accountMasked bankCode appliedAt round { number payDate } } }`,
      { round: v.round ? Number(v.round) : null, status: v.status ?? null },
    );
    fill(
      results,
      table(
        'Applications',
        ['Applied', 'Channel', 'Amount', 'Account', 'Round', 'Status', 'Payout'],
        found.refundApplications.map((a) => [
          dateTime(a.appliedAt),
          words(a.channel),
          krw(a.amount),
          `${a.bankCode} ${a.accountMasked}`,
          a.round ? `${a.round.number} (${a.round.payDate})` : '—',
          a.status,
          a.status === 'SCHEDULED'
            ? h(
                'span',
                { class: 'actions' },
                button('Paid', () => record(a.id, true)),
                button('Failed', () => record(a.id, false), { class: 'quiet' }),
              )
            : '',
        ]),
      ),
    );
  };
  const record = (id, paid) =>
    attempt(async () => {
      await gql('mutation($id: ID!, $paid: Boolean!) { recordPayoutResult(applicationId: $id, paid: $paid) { id status } }', { id, paid });
      say(paid ? 'Payout recorded as paid.' : 'Payout recorded as failed; the customer is asked to correct the account.');
      await list(values(filter));
    });
  submitter(filter, list);
  const roundItem = (r) => {
    const item = h(
      'li',
      {},
      `Round ${r.number}, paid on ${r.payDate}${r.closed ? ' (closed)' : ''} `,
      button(r.closed ? `Payout file of round ${r.number}` : `Close round ${r.number}`, async () => {
        if (await close(r.number)) item.replaceWith(roundItem({ ...r, closed: true }));
      }),
    );
    return item;
  };
  const close = (number) =>
    attempt(async () => {
      const { closePayoutRound: file } = await gql(
        'mutation($n: Int!) { closePayoutRound(number: $n) { round { number payDate } count total csv } }',
        { n: number },
      );
      say(`Round ${number} closed: ${file.count} payouts, ${krw(file.total)}.`);
      files.append(
        h(
          'p',
          { class: 'card payout-file' },
          `Round ${file.round.number} (paid on ${file.round.payDate}): ${file.count} payouts, ${krw(file.total)}. `,
          download(`payout-round-${file.round.number}.csv`, file.csv),
        ),
      );
      return true;
    });
  section(
    main,
    'Refunds',
    'Closing a round schedules its applications and issues the bank’s payout file (full account numbers: every download is audited). Closing again gives the same file.',
    table(
      'Applications by round and status',
      ['Round', 'Status', 'Count', 'Amount'],
      data.refundOverview.applications.map((a) => [a.round ?? '—', a.status, String(a.count), krw(a.amount)]),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'rounds-title' },
      h('h2', { id: 'rounds-title' }, 'Payout rounds'),
      h(
        'ul',
        { class: 'rounds' },
        data.campaign.payoutRounds.map(roundItem),
      ),
      files,
    ),
    filter,
    results,
  );
  await attempt(() => list({}));
}

// ---- Notices and reminders -------------------------------------------------------

export async function notices(main) {
  const run = (mutation, what) =>
    attempt(async () => {
      const data = await gql(`mutation { ${mutation} { sent } }`);
      say(`${what}: ${data[mutation].sent} sent.`);
    });
  section(
    main,
    'Notices',
    'Each run sends once per eligible line without an application; reminders stop after three, and both only inside their windows.',
    h(
      'div',
      { class: 'card actions' },
      button('Send eligibility notices', () => run('sendEligibilityNotices', 'Eligibility notices')),
      button('Send refund reminders', () => run('sendRefundReminders', 'Refund reminders')),
    ),
  );
}

// ---- Monthly data grant ----------------------------------------------------------

export async function grants(main) {
  const progress = h('div', { id: 'grant-progress', 'aria-live': 'polite' });
  const showProgress = async () => {
    const data = await attempt(() => gql('{ dataGrantsByMonth { month lines gigabytes } }'));
    if (data)
      fill(progress, table('Granted so far', ['Month', 'Lines', 'Data'], data.dataGrantsByMonth.map((g) => [g.month, String(g.lines), `${g.gigabytes.toLocaleString('en-US')} GB`])));
  };
  const form = submitter(
    h(
      'form',
      { class: 'card row-form', 'aria-label': 'Run the monthly data grant' },
      field('Month', { name: 'month', type: 'month', required: true }),
      h('button', { type: 'submit' }, 'Run grant'),
      h('progress', { id: 'grant-running', hidden: true, 'aria-label': 'Grant running' }),
    ),
    async (v) => {
      const running = document.getElementById('grant-running');
      running.hidden = false;
      try {
        const data = await gql('mutation($m: String!) { runMonthlyDataGrant(month: $m) { granted skipped } }', { m: v.month });
        say(`${v.month}: ${data.runMonthlyDataGrant.granted} lines granted, ${data.runMonthlyDataGrant.skipped} skipped.`);
      } finally {
        running.hidden = true;
      }
      await showProgress();
    },
  );
  section(main, 'Monthly data grant', 'Grants the month’s data to every program line; a rerun grants nothing twice. Large runs go through `benefits job monthly-data-grant`.', form, progress);
  await showProgress();
}

// ---- Insurance claims ------------------------------------------------------------

const NEXT = { RECEIVED: ['UNDER_REVIEW'], UNDER_REVIEW: ['APPROVED', 'REJECTED'], APPROVED: ['PAID'] };

export async function claims(main) {
  const queue = h('div', { id: 'claims' });
  const show = async (status) => {
    const data = await gql('query($s: ClaimStatus!) { insuranceClaims(status: $s) { id coverageType incidentDate lossAmount description status approvedAmount } }', { s: status });
    fill(
      queue,
      table(
        `Claims ${words(status)}`,
        ['Cover', 'Incident', 'Loss', 'Description', 'Approved', 'Move to'],
        data.insuranceClaims.map((c) => [
          words(c.coverageType),
          c.incidentDate,
          krw(c.lossAmount),
          c.description,
          krw(c.approvedAmount),
          h(
            'span',
            { class: 'actions' },
            (NEXT[c.status] ?? []).map((next) =>
              button(words(next), () =>
                attempt(async () => {
                  await gql('mutation($id: ID!, $s: ClaimStatus!) { moveInsuranceClaim(id: $id, status: $s) { id status } }', { id: c.id, s: next });
                  say(`Claim moved to ${words(next)}.`);
                  await show(status);
                }),
              ),
            ),
          ),
        ]),
      ),
    );
  };
  const form = submitter(
    h(
      'form',
      { class: 'card row-form', 'aria-label': 'Claims queue' },
      field('Status', { name: 'status', options: ['RECEIVED', 'UNDER_REVIEW', 'APPROVED', 'REJECTED', 'PAID'].map((s) => [s, words(s)]) }),
      h('button', { type: 'submit' }, 'Show queue'),
    ),
    (v) => show(v.status),
  );
  section(main, 'Insurance claims', 'The insurer’s queue, newest first.', form, queue);
  await attempt(() => show('RECEIVED'));
}

// ---- Audit log -------------------------------------------------------------------

export async function audit(main) {
  const entries = h('div', { id: 'audit-entries' });
  const chain = h('p', { id: 'audit-chain' });
  const show = async (v) => {
    const filter = { actor: v.actor ?? null, action: v.action ?? null, customerId: v.customerId ?? null };
    const data = await gql(
      `query($filter: AuditFilter!, $first: Int!) { auditEntries(filter: $filter, first: $first) {
        sequence at actorRole actor action customerId channel detail } auditChain { entries valid firstBroken truncated headSequence } }`,
      { filter, first: Number(v.first ?? 50) },
    );
    const c = data.auditChain;
    fill(
      chain,
      c.valid
        ? `Hash chain intact over ${c.entries} entries.`
        : c.truncated
          ? `Hash chain TRUNCATED: entries ${c.firstBroken} to ${c.headSequence} are missing.`
          : `Hash chain BROKEN at entry ${c.firstBroken}.`,
    );
    chain.className = c.valid ? 'good' : 'bad';
    fill(
      entries,
      table(
        'Entries, newest first',
        ['#', 'When', 'Who', 'Action', 'Customer', 'Detail'],
        data.auditEntries.map((e) => [String(e.sequence), dateTime(e.at), `${e.actor} (${e.actorRole})`, e.action, e.customerId ?? '—', e.detail]),
      ),
    );
  };
  const form = submitter(
    h(
      'form',
      { class: 'card row-form', role: 'search', 'aria-label': 'Filter the audit log' },
      field('Actor', { name: 'actor' }),
      field('Action', { name: 'action', placeholder: 'customer.find_by_phone' }),
      field('Customer id', { name: 'customerId' }),
      field('How many', { name: 'first', type: 'number', min: '1', max: '500', value: '50' }),
      h('button', { type: 'submit' }, 'Search'),
    ),
    show,
  );
  section(main, 'Audit log', 'Every staff action and every staff read of personal data.', form, chain, entries);
  await attempt(() => show({}));
}
