// The admins' sections: campaign, partners and offers, OTT catalog, refunds and payout
// rounds, notices, the monthly data grant, insurance claims and the audit log.

import { gql } from './api.js';
import { button, field, fill, h, say, sayError, table, values } from './dom.js';
import { dateTime, day, language, month, number, t, won, word } from './i18n.js';

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

const CAMPAIGN = `{ campaign { code name baselineDate contractChangeCutoff eligibilityCheckOpens applicationsOpenAt
  applicationsCloseAt baseDate roamingBonusPercent lateApplicationDays
  periods { kind first last } payoutRounds { number payDate cancelledUntil appliedUntil closed } } }`;

/** The campaign's single days, as `updateCampaignDay` names them. */
const DAYS = [
  ['BASELINE_DATE', 'baselineDate'],
  ['CONTRACT_CHANGE_CUTOFF', 'contractChangeCutoff'],
  ['ELIGIBILITY_CHECK_OPENS', 'eligibilityCheckOpens'],
  ['BASE_DATE', 'baseDate'],
];

function dayRow(c, [kind, key]) {
  const form = submitter(
    h(
      'form',
      { class: 'row-form', 'aria-label': word('CampaignDay', kind) },
      field(t('campaign.day'), { name: 'day', type: 'date', value: c[key], required: true }),
      h('button', { type: 'submit' }, t('common.save')),
    ),
    async (v) => {
      await gql('mutation($kind: CampaignDay!, $day: String!) { updateCampaignDay(kind: $kind, day: $day) { code } }', { kind, day: v.day });
      say(t('campaign.saved', { what: word('CampaignDay', kind) }));
    },
  );
  return [word('CampaignDay', kind), form];
}

function periodRow(p) {
  const form = submitter(
    h(
      'form',
      { class: 'row-form', 'aria-label': t('campaign.periodLabel', { period: word('CampaignPeriod', p.kind) }) },
      field(t('campaign.first'), { name: 'first', type: 'date', value: p.first, required: true }),
      field(t('campaign.last'), { name: 'last', type: 'date', value: p.last, required: true }),
      h('button', { type: 'submit' }, t('common.save')),
    ),
    async (v) => {
      await gql(`mutation($kind: CampaignPeriod!, $first: String!, $last: String!) {
        updateCampaignPeriod(kind: $kind, first: $first, last: $last) { code } }`, { kind: p.kind, ...v });
      say(t('campaign.saved', { what: word('CampaignPeriod', p.kind) }));
    },
  );
  return [word('CampaignPeriod', p.kind), form];
}

function roundFields(r) {
  return [
    field(t('campaign.payDate'), { name: 'payDate', type: 'date', value: r?.payDate ?? '', required: true, disabled: r?.closed }),
    field(t('campaign.cancelledUntil'), { name: 'cancelledUntil', type: 'date', value: r?.cancelledUntil ?? '', disabled: r?.closed }),
    field(t('campaign.appliedUntil'), { name: 'appliedUntil', type: 'date', value: r?.appliedUntil ?? '', required: true, disabled: r?.closed }),
  ];
}

function roundRow(r) {
  const form = submitter(
    h(
      'form',
      { class: 'row-form', 'aria-label': t('campaign.roundLabel', { number: r.number }) },
      roundFields(r),
      r.closed ? h('span', { class: 'badge' }, t('campaign.closed')) : h('button', { type: 'submit' }, t('common.save')),
    ),
    async (v) => {
      await gql('mutation($input: PayoutRoundInput!) { updatePayoutRound(input: $input) { code } }', {
        input: { number: r.number, payDate: v.payDate, cancelledUntil: v.cancelledUntil ?? null, appliedUntil: v.appliedUntil },
      });
      say(t('campaign.roundSaved', { number: r.number }));
    },
  );
  return [t('campaign.roundNumber', { number: r.number }), form];
}

export async function campaign(main) {
  const data = await attempt(() => gql(CAMPAIGN));
  if (!data) return;
  const c = data.campaign;
  const roaming = submitter(
    h(
      'form',
      { class: 'row-form', 'aria-label': t('campaign.roamingBonus') },
      field(t('campaign.roamingPercent'), { name: 'percent', type: 'number', min: '1', max: '1000', value: String(c.roamingBonusPercent), required: true }),
      h('button', { type: 'submit' }, t('common.save')),
    ),
    async (v) => {
      await gql('mutation($p: Int!) { updateRoamingBonusPercent(percent: $p) { code } }', { p: Number(v.percent) });
      say(t('campaign.saved', { what: t('campaign.roamingBonus') }));
    },
  );
  const addRound = submitter(
    h('form', { class: 'card row-form', 'aria-label': t('campaign.addRound') }, h('h2', {}, t('campaign.addRound')), roundFields(null), h('button', { type: 'submit' }, t('campaign.addRoundSubmit'))),
    async (v) => {
      const { addPayoutRound } = await gql(
        'mutation($p: String!, $c: String, $a: String!) { addPayoutRound(payDate: $p, cancelledUntil: $c, appliedUntil: $a) { payoutRounds { number } } }',
        { p: v.payDate, c: v.cancelledUntil ?? null, a: v.appliedUntil },
      );
      say(t('campaign.roundAdded', { number: addPayoutRound.payoutRounds.at(-1).number }));
      await campaign(main);
    },
  );
  section(
    main,
    t('nav.campaign'),
    t('campaign.intro', { name: c.name, code: c.code }),
    table(t('campaign.keyDates'), [t('campaign.what'), t('campaign.when')], [
      [t('campaign.applications'), t('campaign.applicationWindow', { from: dateTime(c.applicationsOpenAt), until: dateTime(c.applicationsCloseAt) })],
      [t('campaign.lateApplications'), t('campaign.lateDays', { days: c.lateApplicationDays })],
    ]),
    table(t('campaign.days'), [t('campaign.dayName'), t('campaign.day')], DAYS.map((d) => dayRow(c, d))),
    table(t('campaign.periods'), [t('campaign.period'), t('campaign.periodDays')], c.periods.map(periodRow)),
    table(t('campaign.roaming'), [t('campaign.setting'), t('campaign.value')], [[t('campaign.roamingBonus'), roaming]]),
    table(t('campaign.rounds'), [t('campaign.round'), t('campaign.roundDates')], c.payoutRounds.map(roundRow)),
    addRound,
  );
}

// ---- Partners, stores and offers --------------------------------------------------

const PARTNERS = `{ partners(first: 500) { id externalId name category stores { externalId name }
  offers { externalId title percentOff maxDiscount amountOff minPurchase perDay perMonth perProgram } } }`;
const UPSERT_PARTNER = `mutation($input: PartnerInput!) { upsertPartner(input: $input) { id offers { externalId } } }`;

const CATEGORIES = ['COFFEE', 'CINEMA', 'BAKERY', 'ICE_CREAM'];
const int = (text) => (text === undefined ? null : Number.parseInt(text, 10));

function offerText(o) {
  const discount =
    o.amountOff !== null
      ? t('partners.amountOff', { amount: won(o.amountOff) })
      : o.maxDiscount !== null
        ? t('partners.percentOffUpTo', { percent: o.percentOff, amount: won(o.maxDiscount) })
        : t('partners.percentOff', { percent: o.percentOff });
  const limits = [
    o.perDay !== null ? t('partners.perDay', { count: o.perDay }) : null,
    o.perMonth !== null ? t('partners.perMonth', { count: o.perMonth }) : null,
    o.perProgram !== null ? t('partners.perProgram', { count: o.perProgram }) : null,
  ].filter(Boolean);
  const from = t('partners.from', { amount: won(o.minPurchase) });
  return limits.length ? t('partners.offerWithLimits', { discount, from, limits: limits.join(', ') }) : t('partners.offer', { discount, from });
}

function declare(partner, changes) {
  return {
    externalId: partner.externalId,
    name: partner.name,
    category: partner.category,
    stores: partner.stores,
    offers: partner.offers,
    ...changes,
  };
}

function offerForm(partner, reload) {
  return submitter(
    h(
      'form',
      { class: 'inline-form', 'aria-label': t('partners.addOfferTo', { name: partner.name }) },
      h('h4', {}, t('partners.addOffer')),
      field(t('partners.offerId'), { name: 'externalId', required: true }),
      field(t('partners.offerTitle'), { name: 'title', required: true }),
      field(t('partners.percent'), { name: 'percentOff', type: 'number', min: '1', max: '100' }),
      field(t('partners.maxDiscount'), { name: 'maxDiscount', type: 'number', min: '0' }),
      field(t('partners.amount'), { name: 'amountOff', type: 'number', min: '0' }),
      field(t('partners.minPurchase'), { name: 'minPurchase', type: 'number', min: '0', required: true, value: '0' }),
      field(t('partners.limitDay'), { name: 'perDay', type: 'number', min: '1' }),
      field(t('partners.limitMonth'), { name: 'perMonth', type: 'number', min: '1' }),
      field(t('partners.limitProgram'), { name: 'perProgram', type: 'number', min: '1' }),
      h('button', { type: 'submit' }, t('partners.addOfferSubmit')),
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
      await gql(UPSERT_PARTNER, { input: declare(partner, { offers: [...partner.offers.filter((o) => o.externalId !== offer.externalId), offer] }) });
      say(t('partners.offerAdded', { title: offer.title, name: partner.name }));
      await reload();
    },
  );
}

function storeForm(partner, reload) {
  return submitter(
    h(
      'form',
      { class: 'inline-form', 'aria-label': t('partners.addStoreTo', { name: partner.name }) },
      h('h4', {}, t('partners.addStore')),
      field(t('partners.storeId'), { name: 'externalId', required: true }),
      field(t('partners.storeName'), { name: 'name', required: true }),
      h('button', { type: 'submit' }, t('partners.addStoreSubmit')),
    ),
    async (v) => {
      const stores = [...partner.stores.filter((s) => s.externalId !== v.externalId), { externalId: v.externalId, name: v.name }];
      await gql(UPSERT_PARTNER, { input: declare(partner, { stores }) });
      say(t('partners.storeAdded', { store: v.name, name: partner.name }));
      await reload();
    },
  );
}

function withdrawButton(partner, offer, reload) {
  return button(
    t('partners.withdraw'),
    () =>
      attempt(async () => {
        await gql(UPSERT_PARTNER, { input: declare(partner, { offers: partner.offers.filter((o) => o.externalId !== offer.externalId) }) });
        say(t('partners.withdrawn', { title: offer.title }));
        await reload();
      }),
    { class: 'quiet', 'aria-label': t('partners.withdrawLabel', { title: offer.title }) },
  );
}

export async function partners(main) {
  const reload = () => partners(main);
  const data = await attempt(() => gql(PARTNERS));
  if (!data) return;
  const create = submitter(
    h(
      'form',
      { class: 'card inline-form', 'aria-label': t('partners.addPartner') },
      h('h2', {}, t('partners.addPartner')),
      field(t('partners.partnerId'), { name: 'externalId', required: true }),
      field(t('partners.partnerName'), { name: 'name', required: true }),
      field(t('partners.category'), { name: 'category', options: CATEGORIES.map((c) => [c, word('PartnerCategory', c)]) }),
      field(t('partners.firstStoreId'), { name: 'storeId', required: true }),
      field(t('partners.firstStoreName'), { name: 'storeName', required: true }),
      h('button', { type: 'submit' }, t('partners.addPartnerSubmit')),
    ),
    async (v) => {
      await gql(UPSERT_PARTNER, {
        input: { externalId: v.externalId, name: v.name, category: v.category, stores: [{ externalId: v.storeId, name: v.storeName }], offers: [] },
      });
      say(t('partners.partnerAdded', { name: v.name }));
      await reload();
    },
  );
  section(
    main,
    t('nav.partners'),
    t('partners.intro'),
    data.partners.map((p) =>
      h(
        'section',
        { class: 'card partner', 'data-partner': p.externalId },
        h('h2', {}, `${p.name} `, h('span', { class: 'badge' }, word('PartnerCategory', p.category))),
        h('p', { class: 'meta' }, t('partners.stores', { id: p.externalId, stores: p.stores.map((s) => s.name).join(', ') || t('partners.noStores') })),
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
  const data = await attempt(() => gql('{ ottServices { id externalId name minimumAge } }'));
  if (!data) return;
  const form = submitter(
    h(
      'form',
      { class: 'card inline-form', 'aria-label': t('ott.formLabel') },
      h('h2', {}, t('ott.formLabel')),
      field(t('ott.serviceId'), { name: 'externalId', required: true }),
      field(t('ott.name'), { name: 'name', required: true }),
      field(t('ott.minimumAge'), { name: 'minimumAge', type: 'number', min: '0', max: '120' }),
      h('button', { type: 'submit' }, t('ott.submit')),
    ),
    async (v) => {
      await gql('mutation($id: String!, $name: String!, $age: Int) { upsertOttService(externalId: $id, name: $name, minimumAge: $age) { id } }', {
        id: v.externalId,
        name: v.name,
        age: v.minimumAge === undefined ? null : Number(v.minimumAge),
      });
      say(t('ott.saved', { name: v.name }));
      await ott(main);
    },
  );
  section(
    main,
    t('nav.ott'),
    t('ott.intro'),
    table(
      t('ott.services'),
      [t('ott.serviceId'), t('ott.name'), t('ott.minimumAgeColumn')],
      data.ottServices.map((s) => [s.externalId, s.name, s.minimumAge === null ? t('ott.anyAge') : t('ott.fromAge', { age: s.minimumAge })]),
    ),
    form,
  );
}

// ---- Refunds and payout rounds ---------------------------------------------------

const STATUSES = ['SUBMITTED', 'SCHEDULED', 'PAID', 'FAILED'];
// The largest results file recordPayoutResults takes; larger ones go through the CLI.
const RESULTS_MAX_BYTES = 60000;

/** What the results file's format names, shown as code in either language. */
const RESULTS_FORMAT = { header: 'application_id,result,amount,reason', paid: 'PAID', failed: 'FAILED' };

/** A message whose `{name}` placeholders become `<code>` with the values of `codes`. */
function withCode(text, codes) {
  return text.split(/\{(\w+)\}/).map((part, index) => (index % 2 === 1 && part in codes ? h('code', {}, codes[part]) : part));
}

function download(filename, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  return h('a', { href: url, download: filename, class: 'download' }, t('refunds.download', { file: filename }));
}

const bankLabel = (bank) => (bank ? (language() === 'ko' ? bank.name : bank.englishName) : null);

export async function refunds(main) {
  const results = h('div', { id: 'applications' });
  const files = h('div', { id: 'payout-files', 'aria-live': 'polite' });
  const data = await attempt(() =>
    gql(`{ campaign { payoutRounds { number payDate closed } }
      refundOverview { applications { round status count amount } }
      banks { code name englishName } }`),
  );
  if (!data) return;
  const bankOf = (code) => bankLabel(data.banks.find((b) => b.code === code)) ?? code;
  const filter = h(
    'form',
    { class: 'card row-form', role: 'search', 'aria-label': t('refunds.filter') },
    field(t('refunds.round'), {
      name: 'round',
      options: [['', t('refunds.any')], ['none', t('refunds.waitingRound')], ...data.campaign.payoutRounds.map((r) => [String(r.number), t('dash.round', { number: r.number })])],
    }),
    field(t('refunds.status'), { name: 'status', options: [['', t('refunds.any')], ...STATUSES.map((s) => [s, word('RefundStatus', s)])] }),
    h('button', { type: 'submit' }, t('refunds.show')),
  );
  const list = async (v) => {
    const found = await gql(
      `query($round: Int, $status: RefundStatus, $waiting: Boolean!) {
        refundApplications(round: $round, status: $status, withoutRound: $waiting, first: 200) {
        id status channel amount accountMasked bankCode appliedAt round { number payDate } } }`,
      { round: v.round && v.round !== 'none' ? Number(v.round) : null, status: v.status ?? null, waiting: v.round === 'none' },
    );
    fill(
      results,
      table(
        t('refunds.applications'),
        [t('refunds.applied'), t('refunds.channel'), t('refunds.amount'), t('refunds.account'), t('refunds.round'), t('refunds.status'), t('refunds.payout')],
        found.refundApplications.map((a) => [
          dateTime(a.appliedAt),
          word('Channel', a.channel),
          won(a.amount),
          `${bankOf(a.bankCode)} ${a.accountMasked}`,
          a.round ? t('refunds.roundPays', { number: a.round.number, date: day(a.round.payDate) }) : t('refunds.waiting'),
          word('RefundStatus', a.status),
          a.status === 'SCHEDULED'
            ? h('span', { class: 'actions' }, button(t('refunds.paid'), () => record(a.id, true)), button(t('refunds.failed'), () => record(a.id, false), { class: 'quiet' }))
            : '',
        ]),
      ),
    );
  };
  const record = (id, paid) =>
    attempt(async () => {
      await gql('mutation($id: ID!, $paid: Boolean!) { recordPayoutResult(applicationId: $id, paid: $paid) { id status } }', { id, paid });
      say(paid ? t('refunds.recordedPaid') : t('refunds.recordedFailed'));
      await list(values(filter));
    });
  submitter(filter, list);
  const roundItem = (r) => {
    const item = h(
      'li',
      {},
      t(r.closed ? 'refunds.roundClosed' : 'refunds.roundOpen', { number: r.number, date: day(r.payDate) }),
      ' ',
      button(r.closed ? t('refunds.fileOf', { number: r.number }) : t('refunds.close', { number: r.number }), async () => {
        if (await close(r.number)) item.replaceWith(roundItem({ ...r, closed: true }));
      }),
    );
    return item;
  };
  const close = (roundNumber) =>
    attempt(async () => {
      const { closePayoutRound: file } = await gql(
        'mutation($n: Int!) { closePayoutRound(number: $n) { round { number payDate } count total csv byBank { bankCode bankName englishName count total } } }',
        { n: roundNumber },
      );
      say(t('refunds.closed', { number: roundNumber, count: number(file.count), total: won(file.total) }));
      files.append(
        h(
          'div',
          { class: 'card payout-file' },
          h('p', {}, t('refunds.fileSummary', { number: file.round.number, date: day(file.round.payDate), count: number(file.count), total: won(file.total) }), ' ', download(`payout-round-${file.round.number}.csv`, file.csv)),
          table(
            t('refunds.byBank', { number: file.round.number }),
            [t('refunds.bank'), t('refunds.payouts'), t('refunds.amount')],
            file.byBank.map((b) => [`${bankLabel({ name: b.bankName, englishName: b.englishName }) ?? b.bankCode} (${b.bankCode})`, number(b.count), won(b.total)]),
          ),
        ),
      );
      return true;
    });
  const report = h('div', { id: 'results-report', 'aria-live': 'polite' });
  const resultsFile = h('input', { type: 'file', id: 'results-file', accept: '.csv,text/csv' });
  const upload = () =>
    attempt(async () => {
      const file = resultsFile.files?.[0];
      if (!file) return;
      if (file.size > RESULTS_MAX_BYTES) {
        say(t('refunds.resultsTooLarge'), 'error');
        return;
      }
      const { recordPayoutResults: run } = await gql(
        'mutation($csv: String!) { recordPayoutResults(csv: $csv) { recorded alreadyRecorded refused rows { line applicationId outcome reason } } }',
        { csv: await file.text() },
      );
      say(t('refunds.resultsDone', { recorded: number(run.recorded), already: number(run.alreadyRecorded), refused: number(run.refused) }));
      fill(
        report,
        table(
          t('refunds.resultsReport'),
          [t('refunds.resultsLine'), t('refunds.resultsId'), t('refunds.resultsOutcome')],
          run.rows.map((r) => [number(r.line), r.applicationId, r.reason ? t(`refunds.refusal.${r.reason}`) : t(`refunds.outcome.${r.outcome}`)]),
        ),
      );
      await list(values(filter));
    });
  const resultsCard = h(
    'section',
    { class: 'card', 'aria-labelledby': 'results-title' },
    h('h2', { id: 'results-title' }, t('refunds.resultsTitle')),
    h('p', {}, ...withCode(t('refunds.resultsHint'), RESULTS_FORMAT)),
    h('label', { for: 'results-file' }, t('refunds.resultsFile')),
    ' ',
    resultsFile,
    ' ',
    button(t('refunds.resultsUpload'), upload, { id: 'results-upload' }),
    report,
  );
  section(
    main,
    t('nav.refunds'),
    t('refunds.intro'),
    table(
      t('refunds.byRound'),
      [t('refunds.round'), t('refunds.status'), t('refunds.count'), t('refunds.amount')],
      data.refundOverview.applications.map((a) => [
        a.round === null ? t('refunds.waiting') : t('dash.round', { number: a.round }),
        word('RefundStatus', a.status),
        number(a.count),
        won(a.amount),
      ]),
    ),
    h('section', { class: 'card', 'aria-labelledby': 'rounds-title' }, h('h2', { id: 'rounds-title' }, t('campaign.rounds')), h('ul', { class: 'rounds' }, data.campaign.payoutRounds.map(roundItem)), files),
    resultsCard,
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
      say(t('notices.sent', { what, count: number(data[mutation].sent) }));
    });
  section(
    main,
    t('nav.notices'),
    t('notices.intro'),
    h(
      'div',
      { class: 'card actions' },
      button(t('notices.sendNotices'), () => run('sendEligibilityNotices', t('notices.notices'))),
      button(t('notices.sendReminders'), () => run('sendRefundReminders', t('notices.reminders'))),
    ),
  );
}

// ---- Monthly data grant ----------------------------------------------------------

export async function grants(main) {
  const progress = h('div', { id: 'grant-progress', 'aria-live': 'polite' });
  const showProgress = async () => {
    const data = await attempt(() => gql('{ dataGrantsByMonth { month lines gigabytes } }'));
    if (data) {
      fill(
        progress,
        table(
          t('grants.granted'),
          [t('grants.month'), t('grants.lines'), t('grants.data')],
          data.dataGrantsByMonth.map((g) => [h('span', { 'data-month': g.month }, month(g.month)), number(g.lines), t('grants.gigabytes', { gigabytes: number(g.gigabytes) })]),
        ),
      );
    }
  };
  const form = submitter(
    h(
      'form',
      { class: 'card row-form', 'aria-label': t('grants.formLabel') },
      field(t('grants.month'), { name: 'month', type: 'month', required: true }),
      h('button', { type: 'submit' }, t('grants.run')),
      h('progress', { id: 'grant-running', hidden: true, 'aria-label': t('grants.running') }),
    ),
    async (v) => {
      const running = document.getElementById('grant-running');
      running.hidden = false;
      try {
        const data = await gql('mutation($m: String!) { runMonthlyDataGrant(month: $m) { granted skipped } }', { m: v.month });
        say(t('grants.done', { month: month(v.month), granted: number(data.runMonthlyDataGrant.granted), skipped: number(data.runMonthlyDataGrant.skipped) }));
      } finally {
        running.hidden = true;
      }
      await showProgress();
    },
  );
  section(main, t('grants.title'), t('grants.intro'), form, progress);
  await showProgress();
}

// ---- Insurance claims ------------------------------------------------------------

const NEXT = { RECEIVED: ['UNDER_REVIEW'], UNDER_REVIEW: ['APPROVED', 'REJECTED'], APPROVED: ['PAID'] };
const CLAIM_STATUSES = ['RECEIVED', 'UNDER_REVIEW', 'APPROVED', 'REJECTED', 'PAID'];

export async function claims(main) {
  const queue = h('div', { id: 'claims' });
  const show = async (status) => {
    const data = await gql('query($s: ClaimStatus!) { insuranceClaims(status: $s) { id coverageType incidentDate lossAmount description status approvedAmount } }', { s: status });
    fill(
      queue,
      table(
        t('claims.queue', { status: word('ClaimStatus', status) }),
        [t('claims.cover'), t('claims.incident'), t('claims.loss'), t('claims.description'), t('claims.approved'), t('claims.moveTo')],
        data.insuranceClaims.map((c) => [
          word('CoverageType', c.coverageType),
          day(c.incidentDate),
          won(c.lossAmount),
          h('span', { class: 'raw' }, c.description),
          won(c.approvedAmount),
          h(
            'span',
            { class: 'actions' },
            (NEXT[c.status] ?? []).map((next) =>
              button(word('ClaimStatus', next), () =>
                attempt(async () => {
                  await gql('mutation($id: ID!, $s: ClaimStatus!) { moveInsuranceClaim(id: $id, status: $s) { id status } }', { id: c.id, s: next });
                  say(t('claims.moved', { status: word('ClaimStatus', next) }));
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
      { class: 'card row-form', 'aria-label': t('claims.formLabel') },
      field(t('claims.status'), { name: 'status', options: CLAIM_STATUSES.map((s) => [s, word('ClaimStatus', s)]) }),
      h('button', { type: 'submit' }, t('claims.show')),
    ),
    (v) => show(v.status),
  );
  section(main, t('claims.title'), t('claims.intro'), form, queue);
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
        ? t('audit.intact', { count: number(c.entries) })
        : c.truncated
          ? t('audit.truncated', { first: c.firstBroken, head: c.headSequence })
          : t('audit.broken', { entry: c.firstBroken }),
    );
    chain.className = c.valid ? 'good' : 'bad';
    fill(
      entries,
      table(
        t('audit.entries'),
        ['#', t('audit.when'), t('audit.who'), t('audit.action'), t('audit.customer'), t('audit.detail')],
        data.auditEntries.map((e) => [
          String(e.sequence),
          dateTime(e.at),
          h('span', {}, h('code', {}, e.actor), ` (${word('Role', e.actorRole)})`),
          h('code', {}, e.action),
          e.customerId ?? '—',
          h('span', { class: 'raw' }, e.detail),
        ]),
      ),
    );
  };
  const form = submitter(
    h(
      'form',
      { class: 'card row-form', role: 'search', 'aria-label': t('audit.filter') },
      field(t('audit.actor'), { name: 'actor' }),
      field(t('audit.action'), { name: 'action', placeholder: 'customer.find_by_phone' }),
      field(t('audit.customerId'), { name: 'customerId' }),
      field(t('audit.howMany'), { name: 'first', type: 'number', min: '1', max: '500', value: '50' }),
      h('button', { type: 'submit' }, t('audit.search')),
    ),
    show,
  );
  section(main, t('nav.audit'), t('audit.intro'), form, chain, entries);
  await attempt(() => show({}));
}
