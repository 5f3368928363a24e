import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CARD_ACTIONS } from '../../src/chat/card-actions';
import { CARD_VERBS, isCardVerb } from '../../src/chat/card-verbs';

/**
 * Card verbs are declared once (src/chat/card-verbs.ts). Every verb a card can send — written in a template or a partial, in the
 * data a builder fills a template with, or in a sample — is declared there, has its handler, and has its row in the
 * authorization matrix, so no button can press into nothing and no verb escapes the matrix.
 */
const ROOT = path.join(__dirname, '..', '..');
const read = (...parts: string[]) => readFileSync(path.join(ROOT, ...parts), 'utf8');
const jsonFiles = (dir: string) => readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, f));
const tsFiles = (dir: string): string[] =>
  readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
const all = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1]);

/** `"verb": "deal.show"` in a template or a sample; a templated verb (`${…}`) comes from a builder. */
const verbsInJson = (file: string) => all(read(file), /"verb"\s*:\s*"([^"$]+)"/g).map((verb) => ({ verb, file }));
/** A builder's verbs: `verb: 'deal.update'` and the page verbs handed to pageButtons. */
const verbsInBuilder = (file: string) =>
  [...all(read(file), /\bverb\s*:\s*'([^']+)'/g), ...all(read(file), /pageButtons\([^)]*?'([^']+)'/g)].map((verb) => ({ verb, file }));

const sent = [...jsonFiles('cards'), ...jsonFiles('cards/partials'), ...jsonFiles('cards/samples')].flatMap(verbsInJson).concat(tsFiles('src/cards').flatMap(verbsInBuilder));
const matrixVerbs = new Set(all(read('test/security/authorization-matrix.spec.ts'), /\bpress:\s*'([^']+)'/g));

describe('card verbs: declared once, each handled and in the authorization matrix', () => {
  it('finds the verbs the templates and builders send (the scan itself works)', () => {
    const files = new Set(sent.map((s) => s.file));
    assert.ok(sent.length >= 60, `only ${sent.length} verbs found`);
    for (const file of ['cards/deal.json', 'cards/nudge.json', 'src/cards/deal-form-card.ts', 'src/cards/history-card.ts']) assert.ok(files.has(file), `no verb found in ${file}`);
  });

  it('every verb a template, a sample or a card builder sends is in the registry', () => {
    const unknown = sent.filter(({ verb }) => !isCardVerb(verb)).map(({ verb, file }) => `${verb} (${file})`);
    assert.deepEqual(unknown, []);
  });

  it('every registered verb has a handler, and every handler a registered verb', () => {
    assert.deepEqual(CARD_VERBS.filter((verb) => typeof CARD_ACTIONS[verb] !== 'function'), []);
    assert.deepEqual(Object.keys(CARD_ACTIONS).filter((verb) => !isCardVerb(verb)), []);
  });

  it('every registered verb has a row in the authorization matrix', () => {
    assert.deepEqual(CARD_VERBS.filter((verb) => !matrixVerbs.has(verb)), []);
  });

  it('every registered verb is sent by some card (none is dead)', () => {
    const used = new Set(sent.map(({ verb }) => verb));
    assert.deepEqual(CARD_VERBS.filter((verb) => !used.has(verb)), []);
  });
});
