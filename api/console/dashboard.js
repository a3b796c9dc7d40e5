// The admins' dashboard: eligibility by reason, applications and amounts by round,
// redemptions per day per partner category and data granted per month, as charts.

import { gql } from './api.js';
import { barChart } from './charts.js';
import { fill, h, sayError } from './dom.js';
import { day, month, number, t, won, word } from './i18n.js';

const OVERVIEW = `{
  refundOverview { linesByReason { reason count } applications { round status count amount } }
  campaign { periods { kind first last } }
  dataGrantsByMonth { month lines gigabytes }
}`;

const STATUSES = ['SUBMITTED', 'SCHEDULED', 'PAID', 'FAILED'];
const CATEGORIES = ['COFFEE', 'CINEMA', 'BAKERY', 'ICE_CREAM'];

/** The last up to 366 days of the discount period. */
function redemptionPeriod(periods) {
  const discount = periods.find((p) => p.kind === 'PARTNER_DISCOUNT');
  const last = new Date(`${discount.last}T00:00:00Z`);
  const first = new Date(`${discount.first}T00:00:00Z`);
  const earliest = new Date(last.getTime() - 365 * 86_400_000);
  const from = first > earliest ? first : earliest;
  return { from: from.toISOString().slice(0, 10), until: discount.last };
}

function byRound(applications) {
  const groups = new Map();
  for (const a of applications) {
    const label = a.round === null ? t('dash.noRound') : t('dash.round', { number: a.round });
    if (!groups.has(label)) groups.set(label, { label, values: {}, amount: 0 });
    const group = groups.get(label);
    group.values[a.status] = (group.values[a.status] ?? 0) + a.count;
    group.amount += a.amount;
  }
  return [...groups.values()];
}

export async function render(main) {
  let data;
  let redemptions;
  try {
    data = await gql(OVERVIEW);
    const period = redemptionPeriod(data.campaign.periods);
    redemptions = (
      await gql('query($from: String!, $until: String!) { redemptionsByDay(from: $from, until: $until) { day category count totalDiscount } }', period)
    ).redemptionsByDay;
  } catch (error) {
    sayError(error);
    fill(main, h('h1', {}, t('nav.dashboard')), h('p', {}, t('dash.failed')));
    return;
  }
  const overview = data.refundOverview;
  const eligible = overview.linesByReason.find((r) => r.reason === null)?.count ?? 0;
  const lines = overview.linesByReason.reduce((sum, r) => sum + r.count, 0);
  const rounds = byRound(overview.applications);
  const toPay = overview.applications
    .filter((a) => a.status === 'SUBMITTED' || a.status === 'SCHEDULED')
    .reduce((sum, a) => sum + a.amount, 0);
  const paid = overview.applications.filter((a) => a.status === 'PAID').reduce((sum, a) => sum + a.amount, 0);
  const days = new Map();
  for (const r of redemptions) {
    if (!days.has(r.day)) days.set(r.day, { label: day(r.day), values: {} });
    days.get(r.day).values[r.category] = r.count;
  }
  fill(
    main,
    h('h1', {}, t('nav.dashboard')),
    h(
      'dl',
      { class: 'figures' },
      h('div', {}, h('dt', {}, t('dash.eligibleLines')), h('dd', {}, t('dash.ofLines', { eligible: number(eligible), lines: number(lines) }))),
      h('div', {}, h('dt', {}, t('dash.toPay')), h('dd', {}, won(toPay))),
      h('div', {}, h('dt', {}, t('dash.paid')), h('dd', {}, won(paid))),
      h('div', {}, h('dt', {}, t('dash.redeemed')), h('dd', {}, number(redemptions.reduce((sum, r) => sum + r.count, 0)))),
    ),
    h(
      'div',
      { class: 'charts' },
      barChart({
        id: 'eligibility',
        title: t('dash.eligibilityChart'),
        groups: overview.linesByReason.map((r) => ({
          label: r.reason === null ? t('dash.eligible') : t(`short.${r.reason}`),
          values: { value: r.count },
        })),
        label: () => t('dash.lines'),
      }),
      barChart({
        id: 'applications',
        title: t('dash.applicationsChart'),
        groups: rounds,
        series: STATUSES,
        label: (s) => word('RefundStatus', s),
      }),
      barChart({
        id: 'amounts',
        title: t('dash.amountsChart'),
        groups: rounds.map((r) => ({ label: r.label, values: { value: r.amount } })),
        format: won,
        label: () => t('dash.amount'),
      }),
      barChart({
        id: 'redemptions',
        title: t('dash.redemptionsChart'),
        groups: [...days.values()],
        series: CATEGORIES,
        label: (c) => word('PartnerCategory', c),
      }),
      barChart({
        id: 'grants',
        title: t('dash.grantsChart'),
        groups: data.dataGrantsByMonth.map((g) => ({ label: month(g.month), values: { value: g.lines } })),
        label: () => t('dash.lines'),
      }),
    ),
  );
}
