import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { CARDS_DIR, type CardName, templateJson, withPartials } from '../../src/cards/render-card';

const PARTIALS_DIR = join(CARDS_DIR, 'partials');
const partials = readdirSync(PARTIALS_DIR).filter((f) => f.endsWith('.json')).map((f) => basename(f, '.json')).sort();
const templateNames = readdirSync(CARDS_DIR).filter((f) => f.endsWith('.json')).map((f) => basename(f, '.json')).sort() as CardName[];
const raw = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

function* objectsOf(node: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(node)) for (const item of node) yield* objectsOf(item);
  else if (typeof node === 'object' && node !== null) {
    yield node as Record<string, unknown>;
    for (const value of Object.values(node)) yield* objectsOf(value);
  }
}

/** The heading, banner, error line and Open deal button are written once, in cards/partials/, and merged in when a template loads. */
describe('card partials (cards/partials/*.json)', () => {
  it('are the heading, the banner, the error line and the Open deal button', () => {
    assert.deepEqual(partials, ['banner', 'error', 'heading', 'open-deal']);
  });

  it('each is used by templates, and no template spells one out again', () => {
    const used = new Map(partials.map((p) => [p, 0]));
    for (const name of templateNames) {
      for (const node of objectsOf(raw(join(CARDS_DIR, `${name}.json`)))) {
        if (typeof node.$partial === 'string') used.set(node.$partial, (used.get(node.$partial) ?? 0) + 1);
        for (const partial of partials) assert.ok(!isDeepStrictEqual(node, raw(join(PARTIALS_DIR, `${partial}.json`))), `cards/${name}.json repeats the ${partial} partial`);
      }
    }
    assert.deepEqual([...used].filter(([, n]) => n < 2), [], 'a partial used once is not shared');
    assert.deepEqual(Object.fromEntries(used), { banner: 9, error: 6, heading: 21, 'open-deal': 8 });
  });

  it('a reference becomes the partial, with the reference\'s own properties on top', () => {
    const body = templateJson('deal-form').body as unknown[];
    assert.deepEqual(body[0], { type: 'TextBlock', text: '${heading}', size: 'Large', weight: 'Bolder', wrap: true });
    assert.deepEqual(body[1], { type: 'TextBlock', text: '${error}', color: 'Attention', wrap: true, $when: "${error != ''}" });
    const actions = templateJson('csat').actions as Array<Record<string, unknown>>;
    assert.deepEqual(actions.at(-1), { type: 'Action.Execute', title: '${buttons.deal}', verb: 'deal.show', data: { dealId: '${dealId}' }, associatedInputs: 'none' });
  });

  it('no reference is left after merging, and a reference to no partial fails when the template loads', () => {
    for (const name of templateNames) assert.ok(!JSON.stringify(templateJson(name)).includes('$partial'), name);
    assert.throws(() => withPartials({ body: [{ $partial: 'footer' }] }), /ENOENT/);
    assert.throws(() => withPartials({ body: [{ $partial: '../deal' }] }), /must name a file in cards\/partials/);
  });
});
