import assert from 'node:assert/strict';
import * as ACData from 'adaptivecards-templating';
import sinon from 'sinon';
import { nudgeCard, type NudgeRow } from '../../src/cards/nudge-card';
import { renderCard } from '../../src/cards/render-card';
import { sampleOf } from './samples';
import { translator } from '../../src/i18n/locale';
import { aDeal } from '../domain/deal-fixture';
import { cardText } from '../support/card-query';
import { actionsOf, assertTeamsReady, displayedTextsOf } from './card-check';

const t = translator('en-US');
const rows = (): NudgeRow[] => [
  { deal: aDeal({ title: 'Azure migration assessment' }, { number: 1001 }), state: { kind: 'stale', reason: { kind: 'closeDatePassed', closeDate: '2026-11-12' } } },
  { deal: aDeal({ title: 'Landing zone', account: 'Tailspin Toys' }, { number: 1002 }), state: { kind: 'stale', reason: { kind: 'unchanged', days: 21 } }, rev: 7 },
  { deal: aDeal({}, { number: 1003 }), state: { kind: 'pushed', closeDate: '2026-12-27' } },
  { deal: aDeal({}, { number: 1004 }), state: { kind: 'snoozed', until: '2026-12-04T09:00:00.000Z' } },
  { deal: aDeal({}, { number: 1005 }), state: { kind: 'closed', outcome: 'Lost' } },
  { deal: aDeal({}, { number: 1006 }), state: { kind: 'upToDate' } },
];
const sample = () => sampleOf('nudge');

function shapeOf(value: unknown, path = '$', into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) shapeOf(item, `${path}[]`, into.add(`${path}: array`));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) shapeOf(v, `${path}.${k}`, into.add(`${path}: object`));
  else into.add(`${path}: ${typeof value}`);
  return into;
}

describe('the nudge card (cards/nudge.json)', () => {
  afterEach(() => sinon.restore());

  it('the sample (cards/samples/nudge.json) has exactly the fields (and types) the builder produces, and renders for Teams', () => {
    const spy = sinon.spy(ACData.Template.prototype, 'expand');
    nudgeCard(t, 'en-US', rows(), { notice: { text: 'x', tone: 'warning' }, staleAfterDays: 14 });
    const view = (spy.lastCall.args[0] as { $root: object }).$root;
    assert.deepEqual([...shapeOf(sample())].sort(), [...shapeOf(view)].sort());
    assertTeamsReady(renderCard('nudge', sample()), 'nudge sample');
  });

  for (const locale of ['en-US', 'zh-CN'] as const) {
    it(`${locale}: every state renders into a card Teams takes`, () => {
      assertTeamsReady(nudgeCard(translator(locale), locale, rows(), { staleAfterDays: 14 }), locale);
      assertTeamsReady(nudgeCard(translator(locale), locale, [], { staleAfterDays: 14 }), `${locale} empty`);
    });
  }

  it('one row per deal: why it is stale, its value, and the four fixes on stale rows only', () => {
    const card = nudgeCard(t, 'en-US', rows(), { staleAfterDays: 14 });
    const text = cardText(card);
    assert.match(text, /D-1001 · Azure migration assessment/);
    assert.match(text, /Contoso Bank · \$1,500,000/);
    assert.match(text, /Close date passed 12 Nov/);
    assert.match(text, /No change for 21 days/);
    assert.match(text, /✓ Close date moved to 27 Dec/);
    assert.match(text, /✓ Snoozed until 4 Dec/);
    assert.match(text, /✓ Closed · Lost|✓ Lost|✓ Closed/);
    assert.match(text, /✓ Up to date/);
    const fixes = actionsOf(card).filter((a) => String(a.verb).startsWith('nudge.'));
    assert.deepEqual(fixes.map((a) => a.verb), ['nudge.push', 'nudge.snooze', 'nudge.stage', 'nudge.closeLost', 'nudge.push', 'nudge.snooze', 'nudge.stage', 'nudge.closeLost']);
    assert.deepEqual(fixes.map((a) => a.title).slice(0, 4), ['Push close date +30 days', 'Snooze 7 days', 'Update stage', 'Close lost']);
    const all = 'D-1001,D-1002,D-1003,D-1004,D-1005,D-1006';
    assert.deepEqual(fixes[0].data, { dealId: 'D-1001', rev: rows()[0].deal.rev, deals: all });
    assert.deepEqual(fixes[4].data, { dealId: 'D-1002', rev: 7, deals: all }, 'the revision the job says the deal will have');
  });

  it('no stale deal: says so, with the threshold', () => {
    assert.match(cardText(nudgeCard(t, 'en-US', [], { staleAfterDays: 14 })), /None of your open deals is stale.*14 days/);
  });

  it('user text is escaped', () => {
    const hostile = aDeal({ title: '**bold** [x](http://evil)', account: '<at>Megan</at>' }, { number: 1001 });
    const texts = displayedTextsOf(nudgeCard(t, 'en-US', [{ deal: hostile, state: { kind: 'upToDate' } }], { staleAfterDays: 14 })).join('\n');
    assert.ok(!texts.includes('**bold**') && !texts.includes('<at>'), texts);
  });
});
