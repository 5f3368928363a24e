import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { CARD_VIEWS, type CardName } from '../../src/cards/card-views';
import { CARDS_DIR, renderCard, templateJson } from '../../src/cards/render-card';
import { sampleOf } from './samples';
import { readsAgainstSchema, templateReads } from './template-reads';

const templateNames = readdirSync(CARDS_DIR).filter((f) => f.endsWith('.json')).map((f) => basename(f, '.json')).sort();
/** The template as the engine gets it: partials (cards/partials/) merged in. */
const templateOf = (name: CardName): unknown => templateJson(name);
const problemsOf = (name: CardName, view: unknown) => {
  const result = CARD_VIEWS[name].safeParse(view);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}${'keys' in i ? ` ${(i.keys as string[]).join(', ')}` : ''}`);
};

/**
 * A card's contract: each template (cards/<name>.json) has one view-model schema (src/cards/views/<name>.ts,
 * CardViews[name] for renderCard). A builder that renames a field fails to compile (npm run typecheck); a template
 * that renames one reads a field its schema does not declare and leaves a declared one unread; a sample that
 * drifts fails its schema.
 */
describe('typed cards: each template, its view-model schema and its sample', () => {
  it('there is one schema per template, and no schema without a template', () => {
    assert.deepEqual(Object.keys(CARD_VIEWS).sort(), templateNames);
  });

  for (const name of Object.keys(CARD_VIEWS).sort() as CardName[]) {
    describe(`${name}`, () => {
      it(`cards/samples/${name}.json is a view of its schema: every field, no other, each of its type`, () => {
        assert.deepEqual(problemsOf(name, sampleOf(name)), []);
      });

      it(`cards/${name}.json reads exactly the fields its schema declares`, () => {
        assert.deepEqual(readsAgainstSchema(templateOf(name), CARD_VIEWS[name]), { undeclared: [], unread: [] });
      });
    });
  }

  describe('the checks themselves can fail', () => {
    it('a template that renames a field reads one its schema does not declare, and leaves the declared one unread', () => {
      const renamed = JSON.parse(JSON.stringify(templateOf('deal')).replace('${banner.text}', '${banner.txt}'));
      assert.deepEqual(readsAgainstSchema(renamed, CARD_VIEWS.deal), { undeclared: ['banner.txt'], unread: [] });
      const everywhere = JSON.parse(JSON.stringify(templateOf('deal')).replaceAll('${historyHeading}', '${historyTitle}'));
      assert.deepEqual(readsAgainstSchema(everywhere, CARD_VIEWS.deal), { undeclared: ['historyTitle'], unread: ['historyHeading'] });
    });

    it('reads are resolved in their $data scope and from $root', () => {
      const template = { body: [{ $data: '${rows}', text: "${title} ${count(items) > 0 ? 'a' : 'b'}", data: { id: '${$root.dealId}' }, items: [{ $data: '${items}', text: '${label}' }] }] };
      assert.deepEqual([...templateReads(template)].sort(), ['dealId', 'rows', 'rows[].items', 'rows[].items[].label', 'rows[].title']);
    });

    it('a sample that renames a field, drops one or changes its type fails its schema', () => {
      const { text, ...rest } = sampleOf('message');
      assert.deepEqual(problemsOf('message', { ...rest, txt: text }), ['text: Required', ': Unrecognized key(s) in object: \'txt\' txt']);
      assert.deepEqual(problemsOf('deal', { ...sampleOf('deal'), banner: { text: 'Saved', color: 'Green' } }).length, 1);
      assert.deepEqual(problemsOf('deal', { ...sampleOf('deal'), rev: '3' }), ['rev: Expected number, received string']);
    });

    it('a builder that renames a field does not compile (checked by npm run typecheck)', () => {
      const compileOnly = () =>
        // @ts-expect-error `txt` is not a field of the message card's view, and `text` is missing.
        renderCard('message', { heading: '', txt: 'hello', buttons: [] });
      assert.equal(typeof compileOnly, 'function');
    });
  });
});
