import assert from 'node:assert/strict';
import { chooseDealCard } from '../../src/cards/choose-deal-card';
import { dealCard, HISTORY_SHOWN } from '../../src/cards/deal-card';
import { dealFormCard, EMPTY_FORM } from '../../src/cards/deal-form-card';
import { helpCard, syntaxAsCode } from '../../src/cards/help-card';
import { messageCard } from '../../src/cards/message-card';
import { pipelineCard } from '../../src/cards/pipeline-card';
import { stageGateCard } from '../../src/cards/stage-gate-card';
import type { Deal } from '../../src/domain/deal';
import { movedDeal } from '../../src/domain/move-deal';
import { buildPipeline } from '../../src/domain/pipeline';
import { setDealField } from '../../src/domain/set-deal-field';
import { type Locale, translator } from '../../src/i18n/locale';
import { ALEX, aDeal, FULL_EVIDENCE, LATER, MEGAN } from '../domain/deal-fixture';
import { actionsOf, assertTeamsReady, displayedTextsOf, inputsOf, MAX_CARD_BYTES, objectsOf, utf16Bytes } from './card-check';
import { parseCommand } from '../../src/chat/parse-command';

/** A button's data that runs what typing `text` runs (the typed command, never parsed on a press). */
const pressing = (text: string) => ({ command: parseCommand(text) });

type Card = Record<string, unknown>;

/** The verbs of the buttons that act (a ToggleVisibility only folds the card's evidence section). */
const verbsOf = (card: unknown) => actionsOf(card).filter((a) => a.type === 'Action.Execute').map((a) => a.verb);
const bodyTexts = (card: unknown) => displayedTextsOf(card);
const factsOf = (card: unknown): Record<string, string> => {
  const facts: Record<string, string> = {};
  for (const o of objectsOf(card)) if (o.type === 'FactSet' && Array.isArray(o.facts)) for (const f of o.facts as Array<{ title: string; value: string }>) facts[f.title] = f.value;
  return facts;
};

/** A deal in Qualify with a few changes behind it. */
function qualifyDeal(): Deal {
  let deal = aDeal();
  deal = movedDeal(deal, { stage: 'Qualify' }, { note: 'BDM agreed' }, ALEX, LATER);
  deal = setDealField(deal, 'closeDate', '2027-04-30', MEGAN, '2026-11-25T14:30:00.000Z');
  return deal;
}

const manyDeals = (count: number): Deal[] =>
  Array.from({ length: count }, (_, i) => {
    const stage = (['Prospect', 'Qualify', 'Solution', 'Proof'] as const)[i % 4];
    const deal = aDeal(
      {
        title: `Azure migration and modernisation programme, wave ${i + 1} (${'x'.repeat(40)})`,
        account: `Contoso Bank Asia Pacific Holdings ${i}`,
        value: String(100_000 + i * 1_000),
        currency: i % 3 === 0 ? 'EUR' : 'USD',
        closeDate: `2027-${String((i % 12) + 1).padStart(2, '0')}-15`,
        serviceLines: i % 2 ? 'Consulting' : 'Premier Support, Enterprise Strategy',
      },
      { number: 1001 + i },
    );
    return stage === 'Prospect' ? deal : { ...deal, stage, evidence: { ...FULL_EVIDENCE } };
  });

for (const locale of ['en-US', 'zh-CN'] as const satisfies readonly Locale[]) {
  const t = translator(locale);

  describe(`card builders in ${locale}`, () => {
    it('help: valid, with the greeting when asked, and buttons for a new deal and my deals', () => {
      const card = helpCard(t, { greeting: true });
      assertTeamsReady(card, 'help');
      assert.equal(bodyTexts(card)[0], t('help.greeting'));
      assert.deepEqual(verbsOf(card), ['deal.newForm', 'pipeline.show']);
      assert.ok(bodyTexts(card).includes(syntaxAsCode(t('help.syntax.move'))), 'each command in a code span (help-card.ts)');
    });

    it('help without greeting leaves the greeting out', () => {
      const card = helpCard(t);
      assertTeamsReady(card, 'help');
      assert.equal(bodyTexts(card)[0], t('help.title'));
    });

    it('deal: valid, with facts, notice, history newest first and the four deal buttons', () => {
      const deal = qualifyDeal();
      const card = dealCard(t, locale, deal, { text: t('notice.saved'), tone: 'good' });
      assertTeamsReady(card, 'deal');
      const facts = factsOf(card);
      assert.equal(facts[t('field.account')], 'Contoso Bank');
      assert.equal(facts[t('field.owner')], 'Alex Wilber');
      assert.equal(facts[t('field.stage')], t('stage.Qualify'));
      assert.equal(facts[t('field.probability')], '30%');
      assert.equal(bodyTexts(card)[0], t('notice.saved'));
      assert.deepEqual(verbsOf(card), ['deal.advance', 'deal.edit', 'deal.closeWon', 'deal.closeLost', 'pipeline.show', 'deal.refresh']);
      for (const action of actionsOf(card).filter((a) => a.type === 'Action.Execute').slice(0, 4)) assert.deepEqual(action.data, { dealId: 'D-1042', rev: deal.rev });
      const history = bodyTexts(card).filter((text) => text.includes(' UTC · '));
      assert.equal(history.length, 3);
      assert.ok(history[0].includes(t('field.closeDate')), history[0]);
      assert.ok(history[2].endsWith(t('history.created')), history[2]);
    });

    it('deal: a won deal offers no advance, edit or close buttons, and shows the outcome', () => {
      const won = movedDeal({ ...qualifyDeal(), stage: 'Proof', evidence: { ...FULL_EVIDENCE } }, { stage: 'Close', outcome: 'Won' }, { finalValue: '1.6m' }, ALEX, LATER);
      const card = dealCard(t, locale, won);
      assertTeamsReady(card, 'deal');
      assert.deepEqual(verbsOf(card), ['pipeline.show', 'deal.refresh']);
      assert.equal(factsOf(card)[t('field.stage')], t('outcome.Won'));
    });

    it('deal: a lost deal shows its reason', () => {
      const lost = movedDeal(qualifyDeal(), { stage: 'Close', outcome: 'Lost' }, { note: 'went with a competitor' }, ALEX, LATER);
      const card = dealCard(t, locale, lost);
      assertTeamsReady(card, 'deal');
      assert.equal(factsOf(card)[t('field.closeReason')], 'went with a competitor');
    });

    it('deal: in Proof there is no "advance" (the next step is closing)', () => {
      const card = dealCard(t, locale, { ...qualifyDeal(), stage: 'Proof' });
      assert.deepEqual(verbsOf(card), ['deal.edit', 'deal.closeWon', 'deal.closeLost', 'pipeline.show', 'deal.refresh']);
    });

    it(`deal: 200 history entries stay under 80 KB and only the latest ${HISTORY_SHOWN} are shown, newest first`, () => {
      let deal = aDeal();
      for (let i = 1; i <= 200; i++) deal = setDealField(deal, 'probability', String(i % 2 ? 40 : 60), ALEX, new Date(Date.UTC(2026, 10, 3, 0, i)).toISOString());
      assert.equal(deal.history.length, 201);
      const card = dealCard(t, locale, deal);
      assertTeamsReady(card, 'deal');
      assert.equal(HISTORY_SHOWN, 5);
      const history = bodyTexts(card).filter((text) => text.includes(' UTC · '));
      assert.equal(history.length, 5);
      // Entry 200 set 60 (from 40), 199 set 40 (from 60), …
      assert.ok(history[0].includes('40% → 60%'), history[0]);
      assert.ok(history[1].includes('60% → 40%'), history[1]);
      assert.ok(history[0].includes('3:20') || history[0].includes('03:20'), `newest first: ${history[0]}`);
    });

    it('deal form (new): valid, required inputs, and the create button', () => {
      const card = dealFormCard(t, {});
      assertTeamsReady(card, 'deal-form');
      const inputs = inputsOf(card);
      assert.deepEqual([...inputs.keys()], ['account', 'title', 'serviceLines', 'value', 'currency', 'closeDate', 'probability', 'nextStep']);
      assert.deepEqual([...inputs].filter(([, i]) => i.isRequired).map(([id]) => id), ['account', 'title', 'serviceLines', 'closeDate']);
      assert.equal(inputs.get('currency')?.value, EMPTY_FORM.currency);
      assert.equal(inputs.get('probability')?.value, 10);
      assert.deepEqual(verbsOf(card), ['deal.create', 'help.show']);
      assert.equal(bodyTexts(card).length, 1, 'no error line');
    });

    it('deal form (edit): prefilled from the deal, with an error line, save and cancel', () => {
      const deal = qualifyDeal();
      const card = dealFormCard(t, { deal, error: 'NWS value is wrong' });
      assertTeamsReady(card, 'deal-form');
      const inputs = inputsOf(card);
      assert.equal(inputs.get('title')?.value, 'Azure migration assessment');
      assert.equal(inputs.get('serviceLines')?.value, 'Consulting,Premier Support');
      assert.equal(inputs.get('value')?.value, '1500000');
      assert.equal(inputs.get('closeDate')?.value, '2027-04-30');
      assert.equal(inputs.get('probability')?.value, 30);
      assert.deepEqual(bodyTexts(card), [t('form.editHeading', { id: 'D-1042' }), 'NWS value is wrong']);
      assert.deepEqual(verbsOf(card), ['deal.update', 'deal.show']);
      assert.deepEqual(actionsOf(card)[0].data, { dealId: 'D-1042', rev: deal.rev });
    });

    it('stage gate: one required input per missing item, and the move carries id, rev and target', () => {
      const deal = qualifyDeal();
      const card = stageGateCard(t, locale, deal, { stage: 'Solution' }, { missing: ['bdm', 'tdm', 'budget'], reason: false });
      assertTeamsReady(card, 'stage-gate');
      const inputs = inputsOf(card);
      assert.deepEqual([...inputs.keys()], ['bdm', 'tdm', 'budget']);
      assert.ok([...inputs.values()].every((i) => i.isRequired === true && i.isMultiline === false));
      assert.deepEqual(verbsOf(card), ['deal.move', 'deal.show']);
      assert.deepEqual(actionsOf(card)[0].data, { dealId: 'D-1042', rev: deal.rev, target: 'Solution' });
    });

    it('stage gate: closing won asks for the final value, prefilled with the current value', () => {
      const deal = { ...qualifyDeal(), stage: 'Proof' as const, evidence: { ...FULL_EVIDENCE } };
      const card = stageGateCard(t, locale, deal, { stage: 'Close', outcome: 'Won' }, { missing: ['finalValue'], reason: false });
      assertTeamsReady(card, 'stage-gate');
      assert.equal(inputsOf(card).get('finalValue')?.value, '1500000');
      assert.equal((actionsOf(card)[0].data as Card).target, 'Won');
    });

    it('stage gate: closing lost asks only for a reason; the solution outline is multi-line', () => {
      const deal = qualifyDeal();
      const lost = stageGateCard(t, locale, deal, { stage: 'Close', outcome: 'Lost' }, { missing: [], reason: true, error: 'needs a reason' });
      assertTeamsReady(lost, 'stage-gate');
      assert.deepEqual([...inputsOf(lost).keys()], ['note']);
      assert.ok(bodyTexts(lost).includes('needs a reason'));
      const outline = stageGateCard(t, locale, deal, { stage: 'Proof' }, { missing: ['solutionOutline'], reason: false });
      assertTeamsReady(outline, 'stage-gate');
      assert.equal(inputsOf(outline).get('solutionOutline')?.isMultiline, true);
    });

    it('pipeline: valid, stages in order, one clickable row per deal, totals per currency', () => {
      const deals = [qualifyDeal(), aDeal({ title: 'Cloud strategy', currency: 'EUR', value: '300k' }, { number: 1044 })];
      const card = pipelineCard(t, locale, 'Alex Wilber', buildPipeline(deals));
      assertTeamsReady(card, 'pipeline');
      assert.deepEqual(actionsOf(card).filter((a) => a.verb === 'deal.show').map((a) => a.data), [{ dealId: 'D-1044' }, { dealId: 'D-1042' }]);
      const summary = bodyTexts(card)[1];
      assert.ok(summary.includes('1,500,000') && summary.includes('300,000') && summary.includes(' + '), summary);
    });

    it('pipeline: nothing open gives the empty message with a new-deal button', () => {
      const card = pipelineCard(t, locale, 'Alex Wilber', buildPipeline([]));
      assertTeamsReady(card, 'message');
      assert.deepEqual(bodyTexts(card), [t('pipeline.emptyHeading'), t('pipeline.emptyText')]);
      assert.deepEqual(actionsOf(card).map((a) => a.data), [pressing('new deal'), pressing('help')]);
    });

    it('pipeline: 60 deals with long titles stay under 80 KB', () => {
      const card = pipelineCard(t, locale, 'Alex Wilber', buildPipeline(manyDeals(60)));
      assertTeamsReady(card, 'pipeline');
    });

    // Was a bug (fixed): the pipeline card lists every open deal as a 3-column ColumnSet with a selectAction
    // (~1.1 KB UTF-16 each), so 100 open deals come to ~115 KB — over the 80 KB budget and over
    // Teams' 100 KB limit (413 MessageSizeTooBig): the user gets no pipeline at all.
    // src/cards/pipeline-card.ts:26 maps all of s.deals. Cap the rows shown (e.g. the 40 soonest
    // closing across stages, with "and N more" per stage), keeping the totals over all deals.
    it('pipeline: 100 deals stay under 80 KB', () => {
      const card = pipelineCard(t, locale, 'Alex Wilber', buildPipeline(manyDeals(100)));
      assert.ok(utf16Bytes(card) < MAX_CARD_BYTES, `${utf16Bytes(card)} bytes`);
      assertTeamsReady(card, 'pipeline');
    });

    it('choose deal: one button per match, each re-running the typed command with the deal id', () => {
      const deals = [qualifyDeal(), aDeal({ title: 'Azure landing zone' }, { number: 1050 })];
      const card = chooseDealCard(t, 'azure', deals, (id) => ({ name: 'move', ref: id, target: 'proof', note: '' }));
      assertTeamsReady(card, 'choose-deal');
      assert.deepEqual(actionsOf(card).map((a) => [a.verb, a.data]), [
        ['command.run', { command: { name: 'move', ref: 'D-1042', target: 'proof', note: '' } }],
        ['command.run', { command: { name: 'move', ref: 'D-1050', target: 'proof', note: '' } }],
      ]);
    });

    it('message: the text, the given buttons and always Help last', () => {
      const card = messageCard(t, t('reply.unknownWithSuggestion', { suggestion: 'pipeline' }), { buttons: [{ title: 'pipeline', command: { name: 'pipeline' } }] });
      assertTeamsReady(card, 'message');
      assert.deepEqual(bodyTexts(card), [t('reply.unknownWithSuggestion', { suggestion: 'pipeline' })]);
      assert.deepEqual(actionsOf(card).map((a) => [a.title, a.verb, a.data]), [
        ['pipeline', 'command.run', { command: { name: 'pipeline' } }],
        [t('button.help'), 'command.run', { command: { name: 'help' } }],
      ]);
    });
  });
}

describe('card builders speak the user language', () => {
  it('the same deal card in zh-CN has Chinese labels and buttons, in en-US English ones', () => {
    const deal = qualifyDeal();
    const zh = dealCard(translator('zh-CN'), 'zh-CN', deal);
    const en = dealCard(translator('en-US'), 'en-US', deal);
    assert.equal(factsOf(en)['Account'], 'Contoso Bank');
    assert.equal(factsOf(zh)[translator('zh-CN')('field.account')], 'Contoso Bank');
    assert.notEqual(translator('zh-CN')('field.account'), 'Account');
    assert.equal(actionsOf(zh).find((a) => a.verb === 'deal.edit')?.title, translator('zh-CN')('button.edit'));
    assert.equal(actionsOf(en).find((a) => a.verb === 'deal.edit')?.title, 'Edit');
  });
});
