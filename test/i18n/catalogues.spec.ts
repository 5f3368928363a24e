import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UsageOf } from '../../src/chat/command';
import { EVIDENCE_KEYS } from '../../src/domain/evidence';
import { SERVICE_LINES } from '../../src/domain/service-line';
import { STAGES } from '../../src/domain/stage';
import { DEFAULT_LOCALE, enUS, LOCALES, type MessageKey, pickLocale, translate, translator, zhCN } from '../../src/i18n/locale';
import type { OutgoingMessageState } from '../../src/domain/outgoing-message';

const SRC = join(__dirname, '..', '..', 'src');

/** Every UsageOf (src/chat/command.ts): run-command.ts builds `usage.<of>`. Typed, so a new one must be listed here. */
const USAGE_OF = ['deal', 'move', 'set', 'close', 'team', 'add', 'remove', 'follow', 'mute', 'alerts', 'requestApproval', 'approval', 'setApprovers', 'history', 'sync', 'summary', 'language'] as const satisfies readonly UsageOf[];
/** Every OutgoingMessageState (src/domain/outgoing-message.ts). */
const DELIVERY_STATES = ['queued', 'sending', 'sent', 'retrying', 'throttled', 'blocked', 'notInstalled', 'failed'] as const satisfies readonly OutgoingMessageState[];
// Compile-time (npm run typecheck): both lists name every member of their union.
const everyUsage: [Exclude<UsageOf, (typeof USAGE_OF)[number]>] extends [never] ? true : false = true;
const everyState: [Exclude<OutgoingMessageState, (typeof DELIVERY_STATES)[number]>] extends [never] ? true : false = true;
void everyUsage;
void everyState;
const catalogues: Record<string, Record<string, string>> = { 'en-US': enUS, 'zh-CN': zhCN };
const placeholdersOf = (text: string): string[] => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

/** The codes of the ErrorCode union, read from src/domain/errors.ts itself. */
function errorCodes(): string[] {
  const source = readFileSync(join(SRC, 'domain', 'errors.ts'), 'utf8');
  const union = /export type ErrorCode\s*=([^;]*);/.exec(source);
  assert.ok(union, 'errors.ts declares `export type ErrorCode = …;`');
  return [...union[1].matchAll(/'([A-Z0-9_.]+)'/g)].map((m) => m[1]);
}

describe('message catalogues (en-US, zh-CN)', () => {
  it('both locales are supported and en-US is the default', () => {
    assert.deepEqual([...LOCALES], ['en-US', 'zh-CN']);
    assert.equal(DEFAULT_LOCALE, 'en-US');
  });

  it('en-US and zh-CN have exactly the same keys (plural forms: each language those its plural rules use)', () => {
    // `<key>#<category>`: a plural form (src/i18n/locale.ts). Chinese uses only `other`, the plain key.
    const zhCategories = new Intl.PluralRules('zh-CN').resolvedOptions().pluralCategories as string[];
    const en = Object.keys(enUS).filter((k) => !k.includes('#') || zhCategories.includes(k.split('#')[1])).sort();
    const zh = Object.keys(zhCN).sort();
    const enCategories = new Intl.PluralRules('en-US').resolvedOptions().pluralCategories as string[];
    for (const key of Object.keys(enUS).filter((k) => k.includes('#'))) {
      const [base, category] = key.split('#');
      assert.ok(base in enUS && enCategories.includes(category), `${key}: a plural form of an existing message, in a category en-US uses`);
    }
    assert.deepEqual(en.filter((k) => !zh.includes(k)), [], 'keys missing from zh-CN');
    assert.deepEqual(zh.filter((k) => !en.includes(k)), [], 'keys only in zh-CN');
    assert.ok(en.length > 100, `a real catalogue (${en.length} keys)`);
  });

  it('every key has the same {placeholders} in both languages', () => {
    const differ = Object.keys(enUS)
      .filter((key) => key in zhCN)
      .filter((key) => placeholdersOf(enUS[key as MessageKey]).join() !== placeholdersOf((zhCN as Record<string, string>)[key]).join())
      .map((key) => `${key}: en {${placeholdersOf(enUS[key as MessageKey])}} zh {${placeholdersOf((zhCN as Record<string, string>)[key])}}`);
    assert.deepEqual(differ, []);
  });

  for (const [locale, catalogue] of Object.entries(catalogues)) {
    it(`no ${locale} message is empty or only white space`, () => {
      assert.deepEqual(Object.entries(catalogue).filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k), []);
    });
  }

  it('zh-CN is actually translated: its sentences contain Chinese', () => {
    // Command syntax (help.syntax.*) stays as typed; everything longer than a word is Chinese.
    const untranslated = Object.entries(zhCN as Record<string, string>)
      .filter(([key]) => !key.startsWith('help.syntax.'))
      .filter(([, v]) => /[a-z]{3,}\s+[a-z]{3,}/i.test(v.replace(/`[^`]*`/g, '').replace(/\{\w+\}/g, '')) && !/[\u4e00-\u9fff]/.test(v))
      .map(([k]) => k);
    assert.deepEqual(untranslated, []);
  });

  it('the ErrorCode union is read from errors.ts (sanity: it names DEAL.NOT_FOUND and REQUEST.INVALID)', () => {
    const codes = errorCodes();
    assert.ok(codes.includes('DEAL.NOT_FOUND') && codes.includes('REQUEST.INVALID'), codes.join(', '));
    assert.ok(codes.length >= 20, `${codes.length} codes`);
  });

  for (const [locale, catalogue] of Object.entries(catalogues)) {
    it(`every ErrorCode has an error.<CODE> message in ${locale}`, () => {
      assert.deepEqual(errorCodes().filter((code) => !(`error.${code}` in catalogue)), []);
    });

    it(`${locale} has the messages the code builds from names (stages, outcomes, fields, gates, service lines, usage, help)`, () => {
      const built = [
        ...STAGES.map((s) => `stage.${s}`),
        'outcome.Won', 'outcome.Lost',
        ...['title', 'account', 'serviceLines', 'value', 'currency', 'closeDate', 'probability', 'nextStep', ...EVIDENCE_KEYS, 'finalValue', 'owner', 'stage', 'closeReason', 'reason'].map((f) => `field.${f}`),
        ...[...EVIDENCE_KEYS, 'finalValue', 'reason'].map((g) => `gate.placeholder.${g}`),
        ...SERVICE_LINES.map((l) => `serviceLine.${l.replace(/ /g, '')}`),
        ...['deal', 'move', 'set', 'close'].map((u) => `usage.${u}`),
        ...['help', 'newDeal', 'deal', 'myDeals', 'move', 'set', 'close'].flatMap((c) => [`help.syntax.${c}`, `help.description.${c}`]),
        'error.internal', 'error.unknownSender',
        // the deal-team and alert commands: usage hints, help lines, delivery states (send-status-card.ts builds `delivery.<state>`)
        ...USAGE_OF.map((u) => `usage.${u}`),
        ...['team', 'follow', 'alerts'].flatMap((c) => [`help.syntax.${c}`, `help.description.${c}`]),
        ...DELIVERY_STATES.map((s) => `delivery.${s}`),
      ];
      assert.deepEqual(built.filter((key) => !(key in catalogue)), []);
    });
  }
});

describe('choosing the language (pickLocale)', () => {
  for (const [requested, locale] of [
    ['zh-cn', 'zh-CN'], ['zh-CN', 'zh-CN'], ['ZH-CN', 'zh-CN'], ['zh-Hans', 'zh-CN'], ['zh-Hans-CN', 'zh-CN'], ['zh', 'zh-CN'], [' zh-CN ', 'zh-CN'], ['zh-SG', 'zh-CN'],
    ['en-US', 'en-US'], ['en-GB', 'en-US'], ['fr-FR', 'en-US'], ['zh-TW', 'en-US'], ['zh-Hant', 'en-US'], ['', 'en-US'],
    [undefined, 'en-US'], [null, 'en-US'], [42, 'en-US'], [{ locale: 'zh-CN' }, 'en-US'],
  ] as const) {
    it(`${JSON.stringify(requested) ?? 'undefined'} → ${locale}`, () => assert.equal(pickLocale(requested), locale));
  }
});

describe('translating (translate)', () => {
  it('fills {placeholders} with the given values, numbers included', () => {
    assert.equal(translate('en-US', 'pipeline.summary', { count: 3, total: '$1,000' }), '3 open deals · $1,000');
    assert.equal(translate('zh-CN', 'notice.created', { id: 'D-1042' }), (zhCN as Record<string, string>)['notice.created'].replace('{id}', 'D-1042'));
  });

  it('plural forms follow each language\'s rules: "1 open deal", "3 open deals", one form in Chinese', () => {
    assert.equal(translate('en-US', 'pipeline.summary', { count: 1, total: '$1,000' }), '1 open deal · $1,000');
    assert.equal(translate('en-US', 'pipeline.summary', { count: 0, total: '$0' }), '0 open deals · $0');
    assert.equal(translate('en-US', 'myTeam.summary', { count: 1 }).split('.')[0], '1 person reports to you');
    assert.equal(translate('en-US', 'nudge.reason.unchanged', { days: 1 }), 'No change for 1 day');
    assert.equal(translate('en-US', 'nudge.reason.unchanged', { days: 21 }), 'No change for 21 days');
    assert.equal(translate('zh-CN', 'pipeline.summary', { count: 1, total: 'x' }), translate('zh-CN', 'pipeline.summary', { count: 2, total: 'x' }).replace('2', '1'));
  });

  it('a placeholder without a value is left as it is', () => {
    assert.equal(translate('en-US', 'notice.created'), 'Created {id}.');
  });

  it('a value that looks like a placeholder is not expanded again', () => {
    assert.equal(translate('en-US', 'gate.heading', { id: '{stage}', stage: 'Proof' }), 'Move {stage} to Proof');
  });

  it('zh-CN speaks Chinese', () => {
    assert.equal(translator('zh-CN')('button.help'), (zhCN as Record<string, string>)['button.help']);
    assert.notEqual(translator('zh-CN')('button.help'), enUS['button.help']);
  });

  it('a key missing from zh-CN falls back to the en-US message', () => {
    const zh = zhCN as Record<string, string>;
    const saved = zh['button.help'];
    delete zh['button.help'];
    try {
      assert.equal(translate('zh-CN', 'button.help'), 'Help');
      assert.equal(translate('zh-CN', 'button.advance', { stage: 'X' }), (zhCN as Record<string, string>)['button.advance'].replace('{stage}', 'X'));
    } finally {
      zh['button.help'] = saved;
    }
    assert.equal(translate('zh-CN', 'button.help'), saved);
  });

  it('a key in neither catalogue shows the key itself', () => {
    assert.equal(translate('zh-CN', 'no.such.key' as MessageKey), 'no.such.key');
  });
});
