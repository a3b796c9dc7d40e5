// The admins' dashboard: eligibility by reason, applications and amounts by round,
// redemptions per day per partner category and data granted per month, as charts.

import { gql } from './api.js';
import { barChart } from './charts.js';
import { fill, h, krw, sayError, words } from './dom.js';

const OVERVIEW = `{
  refundOverview { linesByReason { reason count } applications { round status count amount } }
  campaign { periods { kind first last } }
  dataGrantsByMonth { month lines gigabytes }
}`;

/** Short chart labels for the fee-waiver reasons (the numbers table says the same). */
const SHORT = {
  BUDGET_PHONE: 'Budget phone',
  IOT_LINE: 'IoT line',
  NOT_SUBSCRIBED_AT_BASELINE: 'Not at baseline',
  CONTRACT_CHANGED_AFTER_CUTOFF: 'Contract changed',
  NOT_CANCELLED: 'In service',
  OPERATOR_TERMINATED: 'Operator ended',
  CANCELLED_OUTSIDE_WINDOW: 'Outside window',
  RESUBSCRIBED: 'Resubscribed',
  NO_REFUNDABLE_FEE: 'No fee',
};

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
    const label = a.round === null ? 'Awaiting account' : `Round ${a.round}`;
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
    fill(main, h('h1', {}, 'Dashboard'), h('p', {}, 'The dashboard could not be loaded.'));
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
    if (!days.has(r.day)) days.set(r.day, { label: r.day.slice(5), values: {} });
    days.get(r.day).values[r.category] = r.count;
  }
  fill(
    main,
    h('h1', {}, 'Dashboard'),
    h(
      'dl',
      { class: 'figures' },
      h('div', {}, h('dt', {}, 'Lines eligible for the waiver'), h('dd', {}, `${eligible.toLocaleString('en-US')} of ${lines.toLocaleString('en-US')}`)),
      h('div', {}, h('dt', {}, 'Refunds still to pay'), h('dd', {}, krw(toPay))),
      h('div', {}, h('dt', {}, 'Refunds paid'), h('dd', {}, krw(paid))),
      h('div', {}, h('dt', {}, 'Discounts redeemed'), h('dd', {}, redemptions.reduce((sum, r) => sum + r.count, 0).toLocaleString('en-US'))),
    ),
    h(
      'div',
      { class: 'charts' },
      barChart({
        id: 'eligibility',
        title: 'Fee-waiver eligibility by reason (lines)',
        groups: overview.linesByReason.map((r) => ({
          label: r.reason === null ? 'Eligible' : SHORT[r.reason] ?? words(r.reason),
          values: { value: r.count },
        })),
      }),
      barChart({
        id: 'applications',
        title: 'Applications by payout round and status',
        groups: rounds,
        series: STATUSES,
        label: (s) => s.toLowerCase(),
      }),
      barChart({
        id: 'amounts',
        title: 'Refund amounts by payout round (KRW)',
        groups: rounds.map((r) => ({ label: r.label, values: { value: r.amount } })),
        format: krw,
      }),
      barChart({
        id: 'redemptions',
        title: 'Redemptions per day by partner category',
        groups: [...days.values()],
        series: CATEGORIES,
        label: words,
      }),
      barChart({
        id: 'grants',
        title: 'Monthly data granted (lines per month)',
        groups: data.dataGrantsByMonth.map((g) => ({ label: g.month, values: { value: g.lines } })),
      }),
    ),
  );
}
