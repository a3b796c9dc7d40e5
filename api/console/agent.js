// Customers: find one by mobile number and see what the app shows them; agents apply
// for a refund or correct an account on their behalf (the channel is recorded).

import { gql } from './api.js';
import { button, dateTime, field, fill, h, krw, say, sayError, table, values, words } from './dom.js';

const CUSTOMER = `query Customer($phone: String!) {
  customerByPhone(phone: $phone) {
    id externalId name phoneMasked type
    insurance { eligible covered automatic coverageEnd reason }
    insuranceClaims { id coverageType incidentDate lossAmount status approvedAmount }
    notifications { kind sentAt smsReference }
    lines {
      id externalId msisdn status deviceClass brand payment activatedOn terminatedOn
      feeWaiver {
        eligible reason refundAmount estimatedFee
        application { id status channel amount accountMasked bankCode appliedAt round { number payDate } }
        lateApplication { applyUntil deadline reason reasonEndedOn grantedAt }
      }
      benefits { kind eligible reason }
      ottChoices { service { name minimumAge } selectable reason }
      ottSelection { service { name } activated }
      dataGrants { month gigabytes }
      roamingBonuses { passName dataMb bonusMb activatedOn }
    }
  }
}`;

const APPLY = `mutation Apply($input: ApplyForRefundInput!) {
  applyForRefund(input: $input) { id status round { number payDate } }
}`;

const GRANT_LATE = `mutation Late($line: ID!, $reason: LateReason!, $ended: String!, $note: String!) {
  grantLateApplication(lineId: $line, reason: $reason, reasonEndedOn: $ended, evidenceNote: $note) { applyUntil }
}`;

const CHECK_SMS = `query Check($phone: String!, $reference: String!) {
  customerByPhone(phone: $phone) { smsByReference(reference: $reference) {
    reference sent texts { kind text sentAt lineMsisdn } } }
}`;

const LATE_REASONS = ['MILITARY_SERVICE', 'OVERSEAS_STAY', 'HOSPITALISATION', 'BUSINESS_TRIP'];

const CORRECT = `mutation Correct($id: ID!, $bank: String!, $number: String!, $holder: String!) {
  updateRefundAccount(applicationId: $id, bankCode: $bank, accountNumber: $number, accountHolder: $holder) {
    id accountMasked round { number payDate }
  }
}`;

function roundText(application) {
  if (application.round) return `round ${application.round.number}, paid on ${application.round.payDate}`;
  return application.status === 'FAILED' ? 'waiting for a corrected account' : 'waiting for a payout round';
}

function waiverText(waiver) {
  if (waiver.eligible) return `Eligible: the fee is waived, ${krw(waiver.refundAmount)} to refund.`;
  if (waiver.reason === 'NOT_CANCELLED')
    return `Still in service. Cancelling today would cost about ${krw(waiver.estimatedFee)}.`;
  return `Not eligible: ${words(waiver.reason)}.`;
}

function accountFields(channel) {
  return [
    channel
      ? field('Channel', {
          name: 'channel',
          options: [
            ['CALL_CENTER', 'Call centre'],
            ['STORE', 'Shop'],
          ],
        })
      : null,
    field('Bank code', { name: 'bankCode', required: true, inputmode: 'numeric', autocomplete: 'off' }),
    field('Account number', { name: 'accountNumber', required: true, inputmode: 'numeric', autocomplete: 'off' }),
    field('Account holder', { name: 'accountHolder', required: true, autocomplete: 'off' }),
  ];
}

function applyForm(line, reload) {
  const form = h(
    'form',
    { class: 'inline-form', 'aria-label': `Apply for the refund of ${line.msisdn}` },
    h('h4', {}, 'Apply for the refund on the customer’s behalf'),
    accountFields(true),
    field('Guardian’s name (minors only)', { name: 'guardianName', autocomplete: 'off' }),
    h('button', { type: 'submit' }, 'Apply for refund'),
  );
  const idempotencyKey = crypto.randomUUID();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = { lineId: line.id, idempotencyKey, ...values(form) };
    try {
      const { applyForRefund } = await gql(APPLY, { input });
      say(`Refund application submitted: ${roundText(applyForRefund)}.`);
      await reload();
    } catch (error) {
      sayError(error);
    }
  });
  return form;
}

function lateForm(line, reload) {
  const form = h(
    'form',
    { class: 'inline-form', 'aria-label': 'Grant a late application' },
    h('h4', {}, 'Grant a late application'),
    h('p', { class: 'meta' }, 'For a customer who could not apply in time: check the documents first.'),
    field('Reason', { name: 'reason', options: LATE_REASONS.map((r) => [r, words(r)]) }),
    field('Reason ended on', { name: 'ended', type: 'date', required: true }),
    field('Evidence seen', { name: 'note', required: true, autocomplete: 'off' }),
    h('button', { type: 'submit' }, 'Grant late application'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = values(form);
    try {
      const { grantLateApplication } = await gql(GRANT_LATE, { line: line.id, reason: v.reason, ended: v.ended, note: v.note });
      say(`Late application granted: the customer may apply until ${grantLateApplication.applyUntil} 22:00.`);
      await reload();
    } catch (error) {
      sayError(error);
    }
  });
  return form;
}

function correctForm(application, reload) {
  const form = h(
    'form',
    { class: 'inline-form', 'aria-label': 'Correct the refund account' },
    h('h4', {}, 'Correct the account'),
    accountFields(false),
    h('button', { type: 'submit' }, 'Save account'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = values(form);
    try {
      await gql(CORRECT, { id: application.id, bank: v.bankCode, number: v.accountNumber, holder: v.accountHolder });
      say('Account corrected.');
      await reload();
    } catch (error) {
      sayError(error);
    }
  });
  return form;
}

function lineCard(line, role, reload) {
  const waiver = line.feeWaiver;
  const application = waiver.application;
  return h(
    'article',
    { class: 'card line', 'data-line': line.externalId },
    h('h3', {}, `${line.msisdn} `, h('span', { class: `badge ${line.status.toLowerCase()}` }, line.status)),
    h(
      'p',
      { class: 'meta' },
      `${line.externalId} · ${words(line.deviceClass)} · ${line.brand} · ${line.payment} · since ${line.activatedOn}`,
      line.terminatedOn ? ` · ended ${line.terminatedOn}` : '',
    ),
    h('h4', {}, 'Fee waiver'),
    h('p', { class: waiver.eligible ? 'good waiver' : 'waiver' }, waiverText(waiver)),
    application
      ? h(
          'div',
          { class: 'application' },
          h(
            'p',
            {},
            h('strong', {}, `Application ${application.status.toLowerCase()}`),
            ` over ${words(application.channel)}: ${krw(application.amount)} to ${application.bankCode} ${application.accountMasked}, `,
            h('span', { class: 'round' }, roundText(application)),
            ` (applied ${dateTime(application.appliedAt)}).`,
          ),
          role === 'AGENT' && ['SUBMITTED', 'FAILED'].includes(application.status) ? correctForm(application, reload) : null,
        )
      : null,
    waiver.lateApplication
      ? h(
          'p',
          { class: 'late' },
          `Late application granted (${words(waiver.lateApplication.reason)} ended ${waiver.lateApplication.reasonEndedOn}): may apply until ${dateTime(waiver.lateApplication.deadline)}.`,
        )
      : null,
    waiver.eligible && !application && role === 'AGENT' ? applyForm(line, reload) : null,
    waiver.eligible && !application ? lateForm(line, reload) : null,
    h('h4', {}, 'Benefits'),
    h(
      'ul',
      { class: 'benefits' },
      line.benefits.map((b) =>
        h('li', { class: b.eligible ? 'good' : '' }, `${words(b.kind)}: `, b.eligible ? 'yes' : `no (${words(b.reason)})`),
      ),
    ),
    line.ottChoices.length
      ? h(
          'p',
          { class: 'ott-choices' },
          `OTT choices: ${line.ottChoices
            .map((c) => `${c.service.name} ${c.selectable ? 'yes' : `no (${words(c.reason)})`}`)
            .join(', ')}`,
        )
      : null,
    line.ottSelection
      ? h('p', {}, `OTT: ${line.ottSelection.service.name}${line.ottSelection.activated ? ' (voucher activated)' : ''}`)
      : null,
    line.dataGrants.length
      ? h('p', {}, `Data granted: ${line.dataGrants.map((g) => `${g.month} ${g.gigabytes} GB`).join(', ')}`)
      : null,
    line.roamingBonuses.length
      ? h('p', {}, `Roaming: ${line.roamingBonuses.map((r) => `${r.passName} +${r.bonusMb} MB`).join(', ')}`)
      : null,
  );
}

function smsCheck(phone) {
  const answer = h('div', { class: 'sms-answer', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card row-form', 'aria-label': 'Check a text message' },
    h('h3', {}, 'Is this text really from us?'),
    field('Reference in the text', { name: 'reference', required: true, autocomplete: 'off', placeholder: 'K7Q2-M9XD' }),
    h('button', { type: 'submit' }, 'Check'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const { customerByPhone } = await gql(CHECK_SMS, { phone, reference: values(form).reference });
      const check = customerByPhone.smsByReference;
      fill(
        answer,
        check.sent
          ? check.texts.map((t) =>
              h('p', { class: 'good' }, `Sent by us ${dateTime(t.sentAt)}${t.lineMsisdn ? ` about ${t.lineMsisdn}` : ''}: “${t.text}”`),
            )
          : h('p', { class: 'bad' }, `We never sent this customer a text with reference ${check.reference}. It is not from us: the customer should not follow it.`),
      );
    } catch (error) {
      sayError(error);
    }
  });
  return h('div', {}, form, answer);
}

function customerView(customer, role, reload, phone) {
  const insurance = customer.insurance;
  return h(
    'div',
    { class: 'customer' },
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'customer-title' },
      h('h2', { id: 'customer-title' }, customer.name),
      h('p', { class: 'meta' }, `${customer.externalId} · ${customer.phoneMasked} · ${words(customer.type)}`),
      h(
        'p',
        {},
        'Safety insurance: ',
        insurance.covered
          ? `covered${insurance.automatic ? ' automatically' : ''} until ${insurance.coverageEnd}`
          : insurance.eligible
            ? 'eligible, not enrolled (the customer enrols in the app)'
            : `not eligible (${words(insurance.reason)})`,
      ),
    ),
    h('h2', {}, 'Lines'),
    h('div', { class: 'lines' }, customer.lines.map((line) => lineCard(line, role, reload))),
    table(
      'Insurance claims',
      ['Filed for', 'Incident', 'Loss', 'Status', 'Approved'],
      customer.insuranceClaims.map((c) => [words(c.coverageType), c.incidentDate, krw(c.lossAmount), c.status, krw(c.approvedAmount)]),
    ),
    table(
      'Inbox',
      ['Message', 'Sent', 'SMS reference'],
      customer.notifications.map((n) => [words(n.kind), dateTime(n.sentAt), n.smsReference ?? '—']),
    ),
    smsCheck(phone),
  );
}

export async function render(main, role) {
  const results = h('div', { id: 'results', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card search', role: 'search' },
    field('Mobile number', {
      name: 'phone',
      type: 'tel',
      required: true,
      autocomplete: 'off',
      placeholder: '010-1234-5678',
    }),
    h('button', { type: 'submit' }, 'Find customer'),
  );
  let phone = null;
  const load = async () => {
    if (!phone) return;
    try {
      const { customerByPhone } = await gql(CUSTOMER, { phone });
      fill(
        results,
        customerByPhone ? customerView(customerByPhone, role, load, phone) : h('p', {}, 'No customer has this number.'),
      );
    } catch (error) {
      sayError(error);
    }
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    phone = values(form).phone;
    fill(results, h('p', {}, 'Searching…'));
    await load();
  });
  fill(
    main,
    h('h1', {}, 'Customers'),
    h('p', {}, 'Every lookup is recorded in the audit log. Names and numbers are shown masked.'),
    form,
    results,
  );
}
