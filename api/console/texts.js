// The customers' texts: every SMS and inbox text of the campaign per notification kind
// and language, with the sender name. Admins edit them here; the service refuses a text
// with a link, a phone number or a placeholder other than {reference}, and an SMS that
// does not fit one short message.

import { gql } from './api.js';
import { field, fill, h, say, sayError, values } from './dom.js';
import { number, t, word } from './i18n.js';

const TEXTS = `{ campaignTexts { smsSenderName templates { kind language channel body preview smsBytes } } }`;
const UPDATE = `mutation($kind: NotificationKind!, $language: Language!, $channel: TextChannel!, $body: String!) {
  updateNotificationTemplate(kind: $kind, language: $language, channel: $channel, body: $body) { smsSenderName } }`;

function templateForm(template, reload) {
  const label = t('texts.formLabel', {
    kind: word('NotificationKind', template.kind),
    language: word('Language', template.language),
    channel: word('TextChannel', template.channel),
  });
  const form = h(
    'form',
    {
      class: 'inline-form template',
      'aria-label': label,
      'data-template': `${template.kind}-${template.language}-${template.channel}`,
    },
    h('h4', {}, `${word('TextChannel', template.channel)} · ${word('Language', template.language)}`),
    field(t('texts.body'), { name: 'body', value: template.body, required: true, multiline: true, lang: template.language.toLowerCase() }),
    h('button', { type: 'submit' }, t('common.save')),
    h(
      'p',
      { class: 'meta preview' },
      t('texts.preview'),
      ' ',
      h('q', { class: 'raw', lang: template.language.toLowerCase() }, template.preview),
      template.smsBytes === null ? '' : ` ${t('texts.bytes', { bytes: number(template.smsBytes) })}`,
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await gql(UPDATE, { kind: template.kind, language: template.language, channel: template.channel, body: values(form).body });
      say(t('texts.saved', { what: label }));
      await reload();
    } catch (error) {
      sayError(error);
    }
  });
  return form;
}

export async function render(main) {
  const reload = () => render(main);
  let data;
  try {
    data = await gql(TEXTS);
  } catch (error) {
    sayError(error);
    return;
  }
  const texts = data.campaignTexts;
  const sender = h(
    'form',
    { class: 'card row-form', 'aria-label': t('texts.sender') },
    field(t('texts.sender'), { name: 'name', value: texts.smsSenderName, required: true, autocomplete: 'off' }),
    h('button', { type: 'submit' }, t('common.save')),
  );
  sender.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await gql('mutation($name: String!) { updateSmsSenderName(name: $name) { smsSenderName } }', { name: values(sender).name });
      say(t('texts.senderSaved'));
      await reload();
    } catch (error) {
      sayError(error);
    }
  });
  const kinds = [...new Set(texts.templates.map((tpl) => tpl.kind))];
  fill(
    main,
    h('h1', {}, t('nav.texts')),
    h('p', {}, t('texts.intro')),
    sender,
    kinds.map((kind) =>
      h(
        'section',
        { class: 'card', 'data-kind': kind },
        h('h2', {}, word('NotificationKind', kind)),
        texts.templates.filter((tpl) => tpl.kind === kind).map((tpl) => templateForm(tpl, reload)),
      ),
    ),
  );
}
