// The console's message catalogues, checked without a browser: Korean and English hold
// the same keys with the same placeholders; every key the console's code names, every
// value of every API enum it puts into words, and every error and reason code the
// service returns has a message in both; and no human text sits in the code itself.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import ko from '../../api/console/messages-ko.js';
import en from '../../api/console/messages-en.js';

const here = dirname(fileURLToPath(import.meta.url));
const repository = join(here, '../..');
const consoleDir = join(repository, 'api/console');
const read = (path) => readFileSync(join(repository, path), 'utf8');
const sources = readdirSync(consoleDir)
  .filter((name) => name.endsWith('.js') && !name.startsWith('messages-'))
  .map((name) => ({ name, text: readFileSync(join(consoleDir, name), 'utf8') }));

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** The values of `enum name { … }` in the committed SDL. */
function enumValues(name) {
  const block = read('schema.graphql').match(new RegExp(`enum ${name} \\{([^}]*)\\}`));
  assert.ok(block, `schema.graphql has enum ${name}`);
  return block[1]
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^[A-Z_]+$/.test(line));
}

test('Korean and English hold the same keys, none empty, with the same placeholders', () => {
  assert.deepEqual(Object.keys(en).sort(), Object.keys(ko).sort(), 'a key is missing in one language');
  for (const key of Object.keys(ko)) {
    assert.ok(ko[key].trim() && en[key].trim(), `${key} is empty`);
    // Formats differ by design: English names the month where Korean numbers it.
    if (!key.startsWith('format.')) {
      assert.deepEqual(placeholders(en[key]), placeholders(ko[key]), `${key}: placeholders differ`);
    }
  }
});

test('every message the console names is in both catalogues', () => {
  for (const { name, text } of sources) {
    for (const [, key] of text.matchAll(/\bt\('([A-Za-z0-9_.]+)'/g)) {
      assert.ok(key in ko && key in en, `${name} uses ${key}`);
    }
    for (const [, key] of text.matchAll(/\?\s*'([a-z]+\.[A-Za-z0-9_.]+)'\s*:\s*'([a-z]+\.[A-Za-z0-9_.]+)'/g)) {
      assert.ok(key in ko, `${name} uses ${key}`);
    }
  }
  for (const [, key] of read('api/console/index.html').matchAll(/data-i18n="([^"]+)"/g)) {
    assert.ok(key in ko && key in en, `index.html uses ${key}`);
  }
});

test('every value of every enum the console puts into words has its words', () => {
  const groups = new Set();
  for (const { text } of sources) {
    for (const [, group] of text.matchAll(/\bword\('([A-Za-z]+)'/g)) groups.add(group);
  }
  for (const group of groups) {
    const values = group === 'Role' ? ['CUSTOMER', 'PARTNER_STORE', 'AGENT', 'ADMIN'] : enumValues(group);
    for (const value of values) {
      assert.ok(`code.${group}.${value}` in ko, `no words for ${group}.${value}`);
    }
  }
});

test('every error code and reason the service returns is explained in both languages', () => {
  const codes = [...read('api/src/graphql/error.rs').matchAll(/=> "([A-Z_]+)",/g)].map((m) => m[1]);
  assert.ok(codes.includes('NOT_ELIGIBLE'));
  for (const code of [...codes, 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']) {
    assert.ok(`error.${code}` in ko, `no words for error ${code}`);
  }
  const reasons = [
    ...enumValues('FeeWaiverReason'),
    ...enumValues('BenefitReason'),
    ...['domain/src/notification/templates.rs', 'domain/src/refund/banks.rs', 'domain/src/refund/late.rs'].flatMap((path) =>
      [...read(path).matchAll(/Self::\w+ => "([A-Z_]+)",/g)].map((m) => m[1]),
    ),
  ];
  assert.ok(reasons.includes('TEMPLATE_HAS_LINK') && reasons.includes('UNKNOWN_BANK'));
  for (const reason of reasons) {
    assert.ok(`reason.${reason}` in ko, `no explanation of reason ${reason}`);
  }
  for (const reason of enumValues('FeeWaiverReason')) {
    assert.ok(`short.${reason}` in ko, `no chart label for ${reason}`);
  }
});

test('no human text is written into the console code outside the catalogues', () => {
  for (const { name, text } of [...sources, { name: 'index.html', text: read('api/console/index.html') }]) {
    const code = text.replace(/^\s*(\/\/|\*|\/\*\*).*$/gm, '');
    assert.ok(!/[가-힣]/.test(code), `${name} holds Korean text outside the catalogues`);
    // Text handed to an element, a field, a table, a button or the status line.
    const shown = /\b(?:h\('[a-z0-9]+',\s*\{[^}]*\},|say\(|button\(|field\(|table\(|fill\(\w+,)\s*(['"`])([^'"`]*)\1/g;
    for (const [, , literal] of code.matchAll(shown)) {
      assert.ok(!/[A-Za-z]{2,}/.test(literal.replace(/\$\{[^}]*\}/g, '')), `${name} shows '${literal}' without the catalogues`);
    }
    if (name.endsWith('.html')) assert.ok(!/>\s*[A-Za-z][^<]*</.test(code), `${name} holds text in its markup`);
  }
});
