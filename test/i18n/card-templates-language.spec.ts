import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { CARDS_DIR, type CardName, templateJson } from '../../src/cards/render-card';

/** Properties whose string value a user reads on the card. */
const VISIBLE = new Set(['text', 'title', 'label', 'placeholder', 'errorMessage', 'altText', 'fallbackText', 'speak', 'tooltip']);

function* visibleStrings(node: unknown, path: string): Generator<[string, string]> {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) yield* visibleStrings(node[i], `${path}[${i}]`);
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string' && VISIBLE.has(key)) yield [`${path}.${key}`, value];
      else yield* visibleStrings(value, `${path}.${key}`);
    }
  }
}

/** A whole `${…}` expression, or text with no letters at all (like "0–100"). */
const isLanguageFree = (value: string) => /^\$\{[^{}]+\}$/.test(value) || !/\p{L}/u.test(value);

const templates = readdirSync(CARDS_DIR).filter((f) => f.endsWith('.json'));

describe('card templates hold no hard-coded words', () => {
  it('the templates are found', () => {
    assert.ok(templates.length >= 7, templates.join(', '));
  });

  for (const file of templates) {
    it(`${file} (with its partials, cards/partials/): every text, title, label, placeholder and errorMessage is a \${…} expression or wordless`, () => {
      const template = templateJson(file.replace(/\.json$/, '') as CardName);
      const strings = [...visibleStrings(template, '$')];
      assert.ok(strings.length > 0, 'the template has visible strings');
      assert.deepEqual(strings.filter(([, v]) => !isLanguageFree(v)).map(([p, v]) => `${p}: ${v}`), []);
    });
  }

  it('the check itself catches a hard-coded word', () => {
    assert.equal(isLanguageFree('Cancel'), false);
    assert.equal(isLanguageFree('取消'), false);
    assert.equal(isLanguageFree('${buttons.cancel} now'), false);
    assert.equal(isLanguageFree('${buttons.cancel}'), true);
    assert.equal(isLanguageFree('0–100'), true);
  });
});
