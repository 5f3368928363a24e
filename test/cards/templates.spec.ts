import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import sinon from 'sinon';
import { alertCard } from '../../src/cards/alert-card';
import { chooseDealCard, choosePersonCard } from '../../src/cards/choose-deal-card';
import { dealCard } from '../../src/cards/deal-card';
import { dealFormCard } from '../../src/cards/deal-form-card';
import { deliveryStatusCard } from '../../src/cards/delivery-status-card';
import { followingCard } from '../../src/cards/following-card';
import { helpCard } from '../../src/cards/help-card';
import { messageCard } from '../../src/cards/message-card';
import { pipelineCard } from '../../src/cards/pipeline-card';
import { CARDS_DIR, type CardName, renderCard } from '../../src/cards/render-card';
import { stageGateCard } from '../../src/cards/stage-gate-card';
import { teamCard } from '../../src/cards/team-card';
import { moveDeal } from '../../src/domain/move-deal';
import { buildPipeline } from '../../src/domain/pipeline';
import { translator } from '../../src/i18n/locale';
import { ALEX, aDeal } from '../domain/deal-fixture';
import { anAlert, deliveryAlerts, FOLLOWS, PEOPLE, teamDeal } from './alert-fixtures';
import { actionsOf, assertTeamsReady, MAX_CARD_BYTES, parserProblems, unresolvedExpressions } from './card-check';

const SAMPLES_DIR = join(CARDS_DIR, 'samples');
const templateNames = readdirSync(CARDS_DIR).filter((f) => f.endsWith('.json')).map((f) => basename(f, '.json')).sort();
const sampleOf = (name: string): object => JSON.parse(readFileSync(join(SAMPLES_DIR, `${name}.json`), 'utf8'));
const templateOf = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(CARDS_DIR, `${name}.json`), 'utf8'));

/** "path: type" for every leaf of a view model; array items are merged under "[]". */
function shapeOf(value: unknown, path = '$', into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    into.add(`${path}: array`);
    for (const item of value) shapeOf(item, `${path}[]`, into);
  } else if (typeof value === 'object' && value !== null) {
    into.add(`${path}: object`);
    for (const [key, v] of Object.entries(value)) shapeOf(v, `${path}.${key}`, into);
  } else {
    into.add(`${path}: ${typeof value}`);
  }
  return into;
}

/**
 * What each builder hands the renderer, for a deal with every optional part filled in, keyed by template
 * name; a second builder of the same template is keyed `<template>:<builder>`.
 */
function builderViews(): Record<string, object> {
  const t = translator('en-US');
  const deal = moveDeal(aDeal(), { stage: 'Qualify' }, { note: 'BDM agreed' }, ALEX, '2026-11-20T10:00:00.000Z');
  const other = aDeal({ title: 'Azure landing zone', account: 'Tailspin Toys' }, { number: 1050 });
  const spy = sinon.spy(ACData.Template.prototype, 'expand');
  try {
    const views: Record<string, object> = {};
    const capture = (name: string, build: () => unknown) => {
      build();
      views[name] = (spy.lastCall.args[0] as { $root: object }).$root;
    };
    capture('help', () => helpCard(t, { greeting: true }));
    capture('deal', () => dealCard(t, 'en-US', deal, { text: t('notice.saved'), tone: 'good' }));
    capture('deal-form', () => dealFormCard(t, { deal, error: 'x' }));
    capture('stage-gate', () => stageGateCard(t, 'en-US', deal, { stage: 'Solution' }, { missing: ['bdm', 'tdm', 'budget'], reason: false }));
    capture('pipeline', () => pipelineCard(t, 'en-US', ALEX.name, buildPipeline([deal, other])));
    capture('choose-deal', () => chooseDealCard(t, 'azure', [deal, other], (id) => `deal ${id}`));
    capture('message', () => messageCard(t, 'text', { heading: 'heading', buttons: [{ title: 'pipeline', command: 'pipeline' }] }));
    capture('choose-deal:choosePersonCard', () => choosePersonCard(t, 'megan', PEOPLE, (ref) => `add ${ref} to D-1042`));
    capture('alert', () => alertCard(t, 'en-US', anAlert()));
    capture('team', () => teamCard(t, teamDeal(), t('team.added', { name: 'Nestor Wilke' })));
    capture('following', () => followingCard(t, FOLLOWS));
    capture('delivery-status', () => deliveryStatusCard(t, 'en-US', teamDeal(), deliveryAlerts()));
    return views;
  } finally {
    spy.restore();
  }
}

describe('card templates (cards/*.json) with their samples (cards/samples/*.json)', () => {
  it('the templates are found, one per card the code renders', () => {
    const known: CardName[] = ['help', 'deal', 'deal-form', 'stage-gate', 'pipeline', 'choose-deal', 'message', 'alert', 'team', 'following', 'delivery-status'];
    assert.deepEqual(templateNames, [...known].sort());
  });

  it('there is no sample without a template', () => {
    const samples = readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.json')).map((f) => basename(f, '.json'));
    assert.deepEqual(samples.filter((s) => !templateNames.includes(s)), []);
  });

  for (const name of templateNames) {
    describe(`${name}.json`, () => {
      it('has a sample view model for the designer', () => {
        assert.ok(existsSync(join(SAMPLES_DIR, `${name}.json`)), `cards/samples/${name}.json is missing`);
      });

      it('declares an explicit version, at most 1.5', () => {
        assert.equal(templateOf(name).version, '1.5');
      });

      it('rendered with its sample: the reference parser finds nothing, version ≤ 1.5, < 80 KB, nothing unresolved, only Action.Execute', () => {
        const card = renderCard(name as CardName, sampleOf(name));
        assertTeamsReady(card, name);
      });

      it('rendered with its sample, it has at least one action', () => {
        assert.ok(actionsOf(renderCard(name as CardName, sampleOf(name))).length > 0);
      });
    });
  }

  describe('the samples match what the builders produce', () => {
    let views: Record<string, object>;
    before(() => {
      views = builderViews();
    });
    for (const name of templateNames) {
      it(`${name}: the sample has exactly the fields (and types) its builder produces`, () => {
        assert.ok(views[name], `no builder captured for ${name}`);
        const expected = [...shapeOf(views[name])].sort();
        const actual = [...shapeOf(sampleOf(name))].sort();
        assert.deepEqual(actual, expected);
      });
    }

    it('choose-deal: choosePersonCard fills the same template with exactly the fields (and types) of the sample', () => {
      assert.ok(views['choose-deal:choosePersonCard'], 'choosePersonCard not captured');
      assert.deepEqual([...shapeOf(sampleOf('choose-deal'))].sort(), [...shapeOf(views['choose-deal:choosePersonCard'])].sort());
    });

    it('every captured view belongs to a template', () => {
      assert.deepEqual(Object.keys(views).map((k) => k.split(':')[0]).filter((name) => !templateNames.includes(name)), []);
    });

    // The samples of the deal-team and alert cards are exactly what the builders make of the shared fixtures.
    for (const name of ['alert', 'team', 'following', 'delivery-status']) {
      it(`${name}: the sample is exactly what its builder produces for test/cards/alert-fixtures.ts (en-US)`, () => {
        assert.deepEqual(sampleOf(name), JSON.parse(JSON.stringify(views[name])));
      });
    }
  });

  describe('the checks themselves can fail', () => {
    const base = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'hello' }] };

    it('a good card passes', () => {
      assert.doesNotThrow(() => assertTeamsReady(base));
    });

    it('an unknown element type is reported by the parser', () => {
      assert.deepEqual(parserProblems({ ...base, body: [{ type: 'Fancy.Thing' }] }), ['parse: Unknown element type "Fancy.Thing". Fallback will be used if present.']);
    });

    it('duplicate input ids are reported', () => {
      const card = { ...base, body: [{ type: 'Input.Text', id: 'a' }, { type: 'Input.Text', id: 'a' }] };
      assert.deepEqual(parserProblems(card), ['validate: Duplicate Id "a".']);
    });

    it('a missing or too new version fails', () => {
      assert.throws(() => assertTeamsReady({ ...base, version: undefined }), /explicit version/);
      assert.throws(() => assertTeamsReady({ ...base, version: '1.6' }), /at most 1\.5/);
    });

    it('a leftover ${…} fails', () => {
      assert.deepEqual(unresolvedExpressions({ ...base, body: [{ type: 'TextBlock', text: '${missing}' }] }), ['$.body[0].text: ${missing}']);
      assert.throws(() => assertTeamsReady({ ...base, body: [{ type: 'TextBlock', text: 'a ${b.c} d' }] }), /unresolved/);
    });

    it('Action.Submit and Action.OpenUrl anywhere fail (actions, ActionSet, selectAction)', () => {
      assert.throws(() => assertTeamsReady({ ...base, actions: [{ type: 'Action.Submit', title: 'x' }] }), /Action\.Execute/);
      assert.throws(() => assertTeamsReady({ ...base, body: [{ type: 'ActionSet', actions: [{ type: 'Action.OpenUrl', title: 'x', url: 'https://example.com' }] }] }), /Action\.Execute/);
      assert.throws(() => assertTeamsReady({ ...base, body: [{ type: 'Container', items: [], selectAction: { type: 'Action.Submit' } }] }), /Action\.Execute/);
    });

    it('a card of 80 KB or more fails', () => {
      const text = 'x'.repeat(MAX_CARD_BYTES / 2);
      assert.throws(() => assertTeamsReady({ ...base, body: [{ type: 'TextBlock', text }] }), /bytes/);
    });

    it('a field missing from the view model leaves a literal ${…} behind', () => {
      const sample = sampleOf('message') as Record<string, unknown>;
      const card = renderCard('message', { ...sample, text: undefined });
      assert.deepEqual(unresolvedExpressions(card), ['$.body[1].text: ${text}']);
    });
  });
});
