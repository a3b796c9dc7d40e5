// Customers: find one by mobile number and see what the app shows them; agents apply
// for a refund, correct an account or grant a late application on their behalf (the
// channel is recorded), and check whether a text the customer received is from us.
// The fee-waiver answer is written to be read out to the customer as it stands.

import { gql } from './api.js';
import { field, fill, h, say, sayError, table, values } from './dom.js';
import { dateTime, day, language, month, number, t, won, word } from './i18n.js';

const CUSTOMER = `query Customer($phone: String!) {
  customerByPhone(phone: $phone) {
    id externalId name phoneMasked type language
    insurance { eligible covered automatic coverageEnd reason }
    insuranceClaims { id coverageType incidentDate lossAmount status approvedAmount }
    notifications { kind sentAt text smsReference }
    lines {
      id externalId msisdn status deviceClass brand payment activatedOn terminatedOn
      feeWaiver {
        eligible reason refundAmount estimatedFee
        application { id status channel amount accountMasked bankCode bankName appliedAt round { number payDate } }
        lateApplication { applyUntil deadline reason reasonEndedOn grantedAt }
      }
      benefits { kind eligible reason }
      ottChoices { service { name minimumAge } selectable reason }
      ottSelection { service { name } activated }
      dataGrants { month gigabytes }
      roamingBonuses { passName dataMb bonusMb activatedOn }
    }
  }
  banks { code name englishName }
}`;

const APPLY = `mutation Apply($input: ApplyForRefundInput!) {
  applyForRefund(input: $input) { id status round { number payDate } }
}`;

const CORRECT = `mutation Correct($id: ID!, $bank: String!, $number: String!, $holder: String!) {
  updateRefundAccount(applicationId: $id, bankCode: $bank, accountNumber: $number, accountHolder: $holder) {
    id accountMasked round { number payDate }
  }
}`;

const GRANT_LATE = `mutation Late($line: ID!, $reason: LateReason!, $ended: String!, $note: String!) {
  grantLateApplication(lineId: $line, reason: $reason, reasonEndedOn: $ended, evidenceNote: $note) { applyUntil }
}`;

const CHECK_SMS = `query Check($phone: String!, $reference: String!) {
  customerByPhone(phone: $phone) { smsByReference(reference: $reference) {
    reference sent texts { kind text sentAt lineMsisdn } } }
}`;

const LATE_REASONS = ['MILITARY_SERVICE', 'OVERSEAS_STAY', 'HOSPITALISATION', 'BUSINESS_TRIP'];

function bankName(banks, code, fallback) {
  const bank = banks.find((b) => b.code === code);
  if (!bank) return fallback ?? code;
  return language() === 'ko' ? bank.name : bank.englishName;
}

function roundText(application) {
  if (application.round) {
    return t('agent.round', { number: application.round.number, date: day(application.round.payDate) });
  }
  return application.status === 'FAILED' ? t('agent.waitingAccount') : t('agent.waitingRound');
}

/** The fee-waiver answer as the agent reads it out. */
function waiverText(waiver) {
  if (waiver.eligible) return t('waiver.eligible', { amount: won(waiver.refundAmount) });
  if (waiver.reason === 'NOT_CANCELLED') return t('waiver.notCancelled', { amount: won(waiver.estimatedFee) });
  return t(`reason.${waiver.reason}`);
}

function accountFields(banks, channel) {
  return [
    channel
      ? field(t('agent.channel'), {
          name: 'channel',
          options: ['CALL_CENTER', 'STORE'].map((c) => [c, word('Channel', c)]),
        })
      : null,
    field(t('agent.bank'), {
      name: 'bankCode',
      required: true,
      options: [['', t('agent.chooseBank')], ...banks.map((b) => [b.code, `${bankName(banks, b.code)} (${b.code})`])],
    }),
    field(t('agent.accountNumber'), { name: 'accountNumber', required: true, inputmode: 'numeric', autocomplete: 'off' }),
    field(t('agent.accountHolder'), { name: 'accountHolder', required: true, autocomplete: 'off' }),
  ];
}

function applyForm(line, banks, reload) {
  const form = h(
    'form',
    { class: 'inline-form', 'aria-label': t('agent.applyLabel', { msisdn: line.msisdn }) },
    h('h4', {}, t('agent.applyTitle')),
    accountFields(banks, true),
    field(t('agent.guardian'), { name: 'guardianName', autocomplete: 'off' }),
    h('button', { type: 'submit' }, t('agent.applySubmit')),
  );
  const idempotencyKey = crypto.randomUUID();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = { lineId: line.id, idempotencyKey, ...values(form) };
    try {
      const { applyForRefund } = await gql(APPLY, { input });
      say(t('agent.applied', { round: roundText(applyForRefund) }));
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
    { class: 'inline-form', 'aria-label': t('agent.lateLabel') },
    h('h4', {}, t('agent.lateLabel')),
    h('p', { class: 'meta' }, t('agent.lateIntro')),
    field(t('agent.lateReason'), { name: 'reason', options: LATE_REASONS.map((r) => [r, word('LateReason', r)]) }),
    field(t('agent.lateEnded'), { name: 'ended', type: 'date', required: true }),
    field(t('agent.lateEvidence'), { name: 'note', required: true, autocomplete: 'off' }),
    h('button', { type: 'submit' }, t('agent.lateSubmit')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = values(form);
    try {
      const { grantLateApplication } = await gql(GRANT_LATE, { line: line.id, reason: v.reason, ended: v.ended, note: v.note });
      say(t('agent.lateGranted', { date: day(grantLateApplication.applyUntil) }));
      await reload();
    } catch (error) {
      sayError(error);
    }
  });
  return form;
}

function correctForm(application, banks, reload) {
  const form = h(
    'form',
    { class: 'inline-form', 'aria-label': t('agent.correctLabel') },
    h('h4', {}, t('agent.correctTitle')),
    accountFields(banks, false),
    h('button', { type: 'submit' }, t('agent.correctSubmit')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = values(form);
    try {
      await gql(CORRECT, { id: application.id, bank: v.bankCode, number: v.accountNumber, holder: v.accountHolder });
      say(t('agent.corrected'));
      await reload();
    } catch (error) {
      sayError(error);
    }
  });
  return form;
}

function benefitText(benefit) {
  return benefit.eligible
    ? t('agent.benefitYes', { kind: word('BenefitKind', benefit.kind) })
    : t('agent.benefitNo', { kind: word('BenefitKind', benefit.kind), reason: word('BenefitReason', benefit.reason) });
}

function lineCard(line, role, banks, reload) {
  const waiver = line.feeWaiver;
  const application = waiver.application;
  const late = waiver.lateApplication;
  const ottOpen = line.benefits.some((b) => b.kind === 'OTT_SUBSCRIPTION' && b.eligible);
  return h(
    'article',
    { class: 'card line', 'data-line': line.externalId },
    h('h3', {}, `${line.msisdn} `, h('span', { class: `badge ${line.status.toLowerCase()}` }, word('LineStatus', line.status))),
    h(
      'p',
      { class: 'meta' },
      [
        line.externalId,
        word('DeviceClass', line.deviceClass),
        word('Brand', line.brand),
        word('Payment', line.payment),
        t('agent.since', { date: day(line.activatedOn) }),
        line.terminatedOn ? t('agent.ended', { date: day(line.terminatedOn) }) : null,
      ]
        .filter(Boolean)
        .join(' · '),
    ),
    h('h4', {}, t('agent.feeWaiver')),
    h('p', { class: waiver.eligible ? 'good waiver' : 'waiver' }, waiverText(waiver)),
    late
      ? h(
          'p',
          { class: 'late' },
          t('agent.lateShown', {
            reason: word('LateReason', late.reason),
            ended: day(late.reasonEndedOn),
            deadline: dateTime(late.deadline),
          }),
        )
      : null,
    application
      ? h(
          'div',
          { class: 'application' },
          h(
            'p',
            {},
            h('strong', {}, t('agent.application', { status: word('RefundStatus', application.status) })),
            ' ',
            t('agent.applicationDetail', {
              channel: word('Channel', application.channel),
              amount: won(application.amount),
              bank: bankName(banks, application.bankCode, application.bankName),
              account: application.accountMasked,
            }),
            ' ',
            h('span', { class: 'round' }, roundText(application)),
            ' ',
            t('agent.appliedAt', { when: dateTime(application.appliedAt) }),
          ),
          role === 'AGENT' && ['SUBMITTED', 'FAILED'].includes(application.status) ? correctForm(application, banks, reload) : null,
        )
      : null,
    waiver.eligible && !application && role === 'AGENT' ? applyForm(line, banks, reload) : null,
    waiver.eligible && !application ? lateForm(line, reload) : null,
    h('h4', {}, t('agent.benefits')),
    h('ul', { class: 'benefits' }, line.benefits.map((b) => h('li', { class: b.eligible ? 'good' : '' }, benefitText(b)))),
    ottOpen && line.ottChoices.length
      ? h(
          'p',
          { class: 'ott-choices' },
          t('agent.ottChoices', {
            choices: line.ottChoices
              .map((c) =>
                c.selectable
                  ? t('agent.ottYes', { name: c.service.name })
                  : t('agent.ottNo', { name: c.service.name, reason: word('BenefitReason', c.reason), age: c.service.minimumAge ?? '' }),
              )
              .join(', '),
          }),
        )
      : null,
    line.ottSelection
      ? h('p', {}, t(line.ottSelection.activated ? 'agent.ottActivated' : 'agent.ottChosen', { name: line.ottSelection.service.name }))
      : null,
    line.dataGrants.length
      ? h('p', {}, t('agent.data', { grants: line.dataGrants.map((g) => t('agent.dataMonth', { month: month(g.month), gigabytes: number(g.gigabytes) })).join(', ') }))
      : null,
    line.roamingBonuses.length
      ? h('p', {}, t('agent.roaming', { bonuses: line.roamingBonuses.map((r) => t('agent.roamingPass', { name: r.passName, bonus: number(r.bonusMb) })).join(', ') }))
      : null,
  );
}

function smsCheck(phone) {
  const answer = h('div', { class: 'sms-answer', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card row-form', 'aria-label': t('agent.smsLabel') },
    h('h3', {}, t('agent.smsTitle')),
    field(t('agent.smsReference'), { name: 'reference', required: true, autocomplete: 'off', placeholder: 'K7Q2-M9XD' }),
    h('button', { type: 'submit' }, t('agent.smsSubmit')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const { customerByPhone } = await gql(CHECK_SMS, { phone, reference: values(form).reference });
      const check = customerByPhone.smsByReference;
      fill(
        answer,
        check.sent
          ? check.texts.map((sms) =>
              h(
                'p',
                { class: 'good' },
                t(sms.lineMsisdn ? 'agent.smsSentLine' : 'agent.smsSent', { when: dateTime(sms.sentAt), line: sms.lineMsisdn }),
                ' ',
                h('q', { class: 'raw' }, sms.text ?? ''),
              ),
            )
          : h('p', { class: 'bad' }, t('agent.smsNotSent', { reference: check.reference })),
      );
    } catch (error) {
      sayError(error);
    }
  });
  return h('div', {}, form, answer);
}

function insuranceText(insurance) {
  if (insurance.covered) {
    return t(insurance.automatic ? 'agent.insuranceAutomatic' : 'agent.insuranceCovered', { date: day(insurance.coverageEnd) });
  }
  return insurance.eligible ? t('agent.insuranceEligible') : t('agent.insuranceNot', { reason: word('BenefitReason', insurance.reason) });
}

function customerView(customer, role, banks, reload, phone) {
  return h(
    'div',
    { class: 'customer' },
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'customer-title' },
      h('h2', { id: 'customer-title' }, customer.name),
      h(
        'p',
        { class: 'meta' },
        [customer.externalId, customer.phoneMasked, word('CustomerType', customer.type), word('Language', customer.language)].join(' · '),
      ),
      h('p', {}, t('agent.insurance'), ' ', insuranceText(customer.insurance)),
    ),
    h('h2', {}, t('agent.lines')),
    h('div', { class: 'lines' }, customer.lines.map((line) => lineCard(line, role, banks, reload))),
    table(
      t('agent.claims'),
      [t('agent.claimCover'), t('agent.claimIncident'), t('agent.claimLoss'), t('agent.claimStatus'), t('agent.claimApproved')],
      customer.insuranceClaims.map((c) => [
        word('CoverageType', c.coverageType),
        day(c.incidentDate),
        won(c.lossAmount),
        word('ClaimStatus', c.status),
        won(c.approvedAmount),
      ]),
    ),
    table(
      t('agent.inbox'),
      [t('agent.inboxKind'), t('agent.inboxSent'), t('agent.inboxReference'), t('agent.inboxText')],
      customer.notifications.map((n) => [
        word('NotificationKind', n.kind),
        dateTime(n.sentAt),
        n.smsReference ?? '—',
        h('span', { class: 'raw' }, n.text),
      ]),
    ),
    smsCheck(phone),
  );
}

export async function render(main, role) {
  const results = h('div', { id: 'results', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card search', role: 'search' },
    field(t('agent.phone'), {
      name: 'phone',
      type: 'tel',
      required: true,
      autocomplete: 'off',
      placeholder: '010-1234-5678',
    }),
    h('button', { type: 'submit' }, t('agent.find')),
  );
  let phone = null;
  const load = async () => {
    if (!phone) return;
    try {
      const { customerByPhone, banks } = await gql(CUSTOMER, { phone });
      fill(
        results,
        customerByPhone ? customerView(customerByPhone, role, banks, load, phone) : h('p', {}, t('agent.noCustomer')),
      );
    } catch (error) {
      sayError(error);
    }
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    phone = values(form).phone;
    fill(results, h('p', {}, t('agent.searching')));
    await load();
  });
  fill(main, h('h1', {}, t('nav.customers')), h('p', {}, t('agent.intro')), form, results);
}
