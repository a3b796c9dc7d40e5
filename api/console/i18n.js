// The console's languages: Korean by default, English on request, remembered per
// browser (localStorage holds only this preference; the token stays in sessionStorage).
// Every word the console shows comes from a message catalogue, and every date, time and
// amount from the formats below, in Korea Standard Time.

import ko from './messages-ko.js';
import en from './messages-en.js';

const CATALOGUES = { ko, en };
const LANGUAGE_KEY = 'benefits.console.language';
const SEOUL = 'Asia/Seoul';

/** The language the console speaks: 'ko' unless English was chosen in this browser. */
export function language() {
  return localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'ko';
}

/** Chooses the console's language for this browser. */
export function setLanguage(next) {
  localStorage.setItem(LANGUAGE_KEY, next === 'en' ? 'en' : 'ko');
  document.documentElement.lang = language();
}

/** Whether the catalogue has a message for `key`. */
export function has(key) {
  return Object.hasOwn(CATALOGUES[language()], key);
}

/** The message `key` with its `{name}` parameters filled in. A missing key shows as
 * ⟦key⟧ (the browser tests look for it) and is reported on the console. */
export function t(key, params = {}) {
  const text = CATALOGUES[language()][key];
  if (text === undefined) {
    console.error(`missing message ${key} (${language()})`);
    return `⟦${key}⟧`;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** An API code in words (`code.LineStatus.ACTIVE`): the code itself when unknown. */
export function word(group, value) {
  if (value === null || value === undefined) return '—';
  const key = `code.${group}.${value}`;
  return has(key) ? t(key) : String(value);
}

/** A whole number with the language's digit grouping. */
export function number(value) {
  return Number(value ?? 0).toLocaleString(language() === 'ko' ? 'ko-KR' : 'en-US');
}

/** An amount of Korean won: `120,000원`, in English `₩120,000`. */
export function won(amount) {
  if (amount === null || amount === undefined) return '—';
  return t('format.won', { amount: number(amount) });
}

function seoulParts(instant) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: SEOUL,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type) => parts.find((p) => p.type === type)?.value;
  return { year: Number(get('year')), month: Number(get('month')), day: Number(get('day')), time: `${get('hour')}:${get('minute')}` };
}

function monthName(value) {
  return t('format.months').split(' ')[value - 1];
}

function dayText(year, month, day) {
  return t('format.day', { year, month, day, name: monthName(month) });
}

/** A calendar day (`2026-01-22`, a KST date): `2026. 1. 22.`, in English `22 Jan 2026`. */
export function day(iso) {
  if (!iso) return '—';
  const [year, month, date] = iso.split('-').map(Number);
  return dayText(year, month, date);
}

/** An instant (RFC 3339) in Korea Standard Time: `2026. 1. 22. 15:00`. */
export function dateTime(rfc3339) {
  if (!rfc3339) return '—';
  const { year, month, day: date, time } = seoulParts(new Date(rfc3339));
  return t('format.dateTime', { day: dayText(year, month, date), time });
}

/** A month (`2026-02`): `2026년 2월`, in English `Feb 2026`. */
export function month(iso) {
  const [year, value] = iso.split('-').map(Number);
  return t('format.month', { year, month: value, name: monthName(value) });
}

/** Applies the catalogue to the page's static elements (`data-i18n="key"`). */
export function translatePage() {
  document.documentElement.lang = language();
  for (const element of document.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
}
