import assert from 'node:assert/strict';
import { crmSyncCard } from '../../src/cards/crm-sync-card';
import { crmFailedCard } from '../../src/cards/crm-failed-card';
import type { CrmNotice } from '../../src/domain/crm-outbox';
import { syncedDeal } from './crm-fixtures';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import sinon from 'sinon';
import { alertCard } from '../../src/cards/alert-card';
import { approvalCard } from '../../src/cards/approval-card';
import { approvalNoticeCard } from '../../src/cards/approval-notice-card';
import { approvalTrailCard } from '../../src/cards/approval-trail-card';
import { approversCard } from '../../src/cards/approvers-card';
import { chooseDealCard, choosePersonCard } from '../../src/cards/choose-deal-card';
import { dealCard } from '../../src/cards/deal-card';
import { dealFormCard } from '../../src/cards/deal-form-card';
import { sendStatusCard } from '../../src/cards/send-status-card';
import { followingCard } from '../../src/cards/following-card';
import { helpCard } from '../../src/cards/help-card';
import { messageCard } from '../../src/cards/message-card';
import { pipelineCard } from '../../src/cards/pipeline-card';
import { CARD_VIEWS } from '../../src/cards/card-views';
import { CARDS_DIR, type CardName, type CardViews, renderCard } from '../../src/cards/render-card';
import { stageGateCard } from '../../src/cards/stage-gate-card';
import { teamCard } from '../../src/cards/team-card';
import { accountCard } from '../../src/cards/account-card';
import { csatCard } from '../../src/cards/csat-card';
import { csatRecoveryCard } from '../../src/cards/csat-recovery-card';
import { deliveryPlanCard } from '../../src/cards/delivery-plan-card';
import { digestCard } from '../../src/cards/digest-card';
import { lowCsatCard } from '../../src/cards/low-csat-card';
import { myTeamCard } from '../../src/cards/my-team-card';
import { nudgeCard } from '../../src/cards/nudge-card';
import { quotaCard } from '../../src/cards/quota-card';
import { pickDealDialogCard } from '../../src/cards/pick-deal-dialog-card';
import { historyCard } from '../../src/cards/history-card';
import { proposalCard } from '../../src/cards/proposal-card';
import { withChanges } from '../../src/domain/deal';
import { assemblePage, pageRange } from '../../src/domain/entry-page';
import { buildDigest } from '../../src/domain/digest';
import { fiscalYearOf, quotaStatus } from '../../src/domain/quota';
import { accountSummary, lowCsatDeal, plannedDeal } from './csat-fixtures';
import type { Notice } from '../../src/domain/approval';
import { decide } from '../../src/domain/approval-round';
import { movedDeal } from '../../src/domain/move-deal';
import { buildPipeline } from '../../src/domain/pipeline';
import { translator } from '../../src/i18n/locale';
import { ALEX, aDeal, TENANT } from '../domain/deal-fixture';
import { anAlert, deliveryAlerts, FOLLOWS, PEOPLE, teamDeal } from './alert-fixtures';
import { ADELE, approvalInProgress, approvedAfterResubmission, complexDeal, hoursLater, requestedDeal, staffedPolicy, TIMING } from './approval-fixtures';
import { sampleOf as sampleOfTemplate } from './samples';
import { actionsOf, assertTeamsReady, MAX_CARD_BYTES, parserProblems, unresolvedExpressions } from './card-check';

const SAMPLES_DIR = join(CARDS_DIR, 'samples');
/** Dialog (task module) cards: Teams submits a dialog with Action.Submit (composeExtension/submitAction), not Action.Execute. */
const DIALOGS = new Set(['pick-deal-dialog']);
function assertReady(card: Record<string, unknown>, name: string): void {
  if (!DIALOGS.has(name.split(':')[0])) return assertTeamsReady(card, name);
  assert.deepEqual(actionsOf(card).map((a) => a.type).filter((type) => type !== 'Action.Submit'), [], `${name}: a dialog submits with Action.Submit`);
  assertTeamsReady({ ...card, actions: [] }, name);
}
const templateNames = readdirSync(CARDS_DIR).filter((f) => f.endsWith('.json')).map((f) => basename(f, '.json')).sort();
const sampleOf = (name: string) => sampleOfTemplate(name as CardName);
const templateOf = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(CARDS_DIR, `${name}.json`), 'utf8'));

/** "path: type" for every leaf of a view model; array items are merged under "[]". */
function shapeOf(value: unknown, path = '$', into = new Set<string>()): Set<string> {
  // A button's typed command is one value whatever its kind (its schema, chat/command-schema.ts, checks its fields).
  if (/\.(command|trailCommand|refreshCommand)$/.test(path) && typeof value === 'object' && value !== null) {
    into.add(`${path}: command`);
  } else if (Array.isArray(value)) {
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
  const deal = movedDeal(aDeal(), { stage: 'Qualify' }, { note: 'BDM agreed' }, ALEX, '2026-11-20T10:00:00.000Z');
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
    capture('choose-deal', () => chooseDealCard(t, 'azure', [deal, other], (id) => ({ name: 'showDeal', ref: id })));
    capture('message', () => messageCard(t, 'text', { heading: 'heading', buttons: [{ title: 'pipeline', command: { name: 'pipeline' } }] }));
    capture('choose-deal:choosePersonCard', () => choosePersonCard(t, 'megan', PEOPLE, (ref) => ({ name: 'addMember', person: ref, ref: 'D-1042', role: '' })));
    capture('alert', () => alertCard(t, 'en-US', anAlert()));
    capture('team', () => teamCard(t, teamDeal(), t('team.added', { name: 'Nestor Wilke' })));
    capture('following', () => followingCard(t, FOLLOWS));
    capture('delivery-status', () => sendStatusCard(t, 'en-US', teamDeal(), deliveryAlerts()));

    // Approvals: cards/samples/{approval,approval-trail,approvers}.json are exactly these (test/cards/approval-fixtures.ts).
    const inProgress = approvalInProgress();
    capture('approval', () => approvalCard(t, 'en-US', inProgress, t('approval.decidedNotice', { decision: t('approval.decision.approved') })));
    capture('approval-trail', () => approvalTrailCard(t, 'en-US', approvedAfterResubmission()));
    capture('approvers', () => approversCard(t, 'en-US', staffedPolicy(), true, t('approvers.updated')));
    // The other states of the same templates.
    capture('approval:approvalCard(requested)', () => approvalCard(t, 'en-US', requestedDeal()));
    capture('approval:approvalCard(approved)', () => approvalCard(t, 'en-US', approvedAfterResubmission()));
    capture('approval:approvalCard(rejected)', () => approvalCard(t, 'en-US', decide(requestedDeal(), ADELE, 'rejected', 'Margin too thin', hoursLater(1), TIMING)));
    capture('approval-trail:approvalTrailCard(empty)', () => approvalTrailCard(t, 'en-US', complexDeal()));
    capture('approvers:approversCard(unstaffed, no channel)', () => approversCard(t, 'en-US', staffedPolicy({ director: { approvers: [] } }), false));
    // Every kind of notice, as delivery turns it into a card (approval template, or a message to the owner).
    const noticeOf = (deal: typeof inProgress, match: (n: Notice) => boolean) => {
      const notice = deal.notices.find(match);
      assert.ok(notice, 'fixture has the notice');
      return notice;
    };
    const ended = decide(requestedDeal(), ADELE, 'changesRequested', 'Cap the discount at 15 %', hoursLater(1), TIMING);
    const approved = approvedAfterResubmission();
    capture('approval:approvalNoticeCard(approvalCard)', () => approvalNoticeCard(t, 'en-US', inProgress, noticeOf(inProgress, (n) => n.kind === 'approvalCard')));
    for (const reason of ['requested', 'reminder', 'escalation'] as const) {
      capture(`approval:approvalNoticeCard(toApprovers.${reason})`, () => approvalNoticeCard(t, 'en-US', approved, noticeOf(approved, (n) => n.kind === 'toApprovers' && n.reason === reason)));
    }
    for (const [event, deal] of [['requested', inProgress], ['levelApproved', inProgress], ['approved', approved], ['changesRequested', ended]] as const) {
      capture(`message:approvalNoticeCard(toOwner.${event})`, () => approvalNoticeCard(t, 'en-US', deal, noticeOf(deal, (n) => n.kind === 'toOwner' && n.event === event)));
    }
    const rejectedRound = decide(requestedDeal(), ADELE, 'rejected', 'Margin too thin', hoursLater(1), TIMING);
    capture('message:approvalNoticeCard(toOwner.rejected)', () => approvalNoticeCard(t, 'en-US', rejectedRound, noticeOf(rejectedRound, (n) => n.kind === 'toOwner' && n.event === 'rejected')));
    // The stage gate of a complex deal closing Won: the approval line, with (none yet) or without (pending) the Request approval button.
    capture('stage-gate:stageGateCard(approval)', () => stageGateCard(t, 'en-US', complexDeal(), { stage: 'Close', outcome: 'Won' }, { missing: ['finalValue', 'approval'], reason: false }));
    capture('stage-gate:stageGateCard(approval pending)', () => stageGateCard(t, 'en-US', requestedDeal(), { stage: 'Close', outcome: 'Won' }, { missing: ['approval'], reason: false }));
    capture('stage-gate:stageGateCard(approval at another value)', () =>
      stageGateCard(t, 'en-US', approved, { stage: 'Close', outcome: 'Won' }, { missing: ['approval'], reason: false, approval: 'otherTerms', closingAmount: 4_900_000 }));

    // Issue 5: CSAT follow-ups, nudges, quota and the digest (their own specs check the samples field by field too).
    const planned = plannedDeal();
    const low = lowCsatDeal();
    capture('delivery-plan', () => deliveryPlanCard(t, 'en-US', planned, planned.delivery!, { notice: t('plan.saved') }));
    capture('csat', () => csatCard(t, 'en-US', planned, planned.delivery!.followUps[0]));
    capture('low-csat', () => lowCsatCard(t, 'en-US', low, low.csat[0]));
    capture('csat-recovery', () => csatRecoveryCard(t, 'en-US', low, low.csat[0]));
    capture('account', () => accountCard(t, 'en-US', accountSummary()));
    capture('nudge', () =>
      nudgeCard(t, 'en-US', [
        { deal: aDeal({ title: 'Azure migration assessment' }, { number: 1001 }), state: { kind: 'stale', reason: { kind: 'closeDatePassed', closeDate: '2026-11-12' } } },
        { deal: aDeal({ title: 'Landing zone', account: 'Tailspin Toys' }, { number: 1002 }), state: { kind: 'pushed', closeDate: '2026-12-27' } },
      ], { notice: { text: 'x', tone: 'warning' }, staleAfterDays: 14 }));
    const quotaDeals = [aDeal({ value: '600k', serviceLines: 'Consulting' }, { number: 1 }), aDeal({ value: '400k', serviceLines: 'Premier Support' }, { number: 2 })];
    const quota = { tenantId: TENANT, personId: 'aad-alex', fiscalYear: 'FY2027', pg1: { amount: 1e6, currency: 'USD' as const }, pg2: { amount: 5e5, currency: 'USD' as const }, setBy: { id: 'x', name: 'Adele Vance' }, updatedAt: '2026-11-27T00:00:00Z' };
    const status = quotaStatus(quotaDeals, fiscalYearOf('2026-11-27', 7), quota);
    const report = { tenantId: TENANT, id: 'aad-megan', name: 'Megan Bowen', updatedAt: '2026-11-27T00:00:00Z' };
    capture('quota', () => quotaCard(t, 'en-US', 'Alex Wilber', status));
    capture('my-team', () => myTeamCard(t, 'en-US', 'Adele Vance', [{ person: report, status }]));
    capture('digest', () =>
      digestCard(t, 'en-US', { name: 'Alex Wilber', week: '2026-W48', digest: buildDigest(quotaDeals, new Date('2026-11-27T00:00:00Z'), '2026-11-27', 14), status, manager: { team: [{ person: report, status }], approvals: [quotaDeals[0]], lowCsat: [] } }));
    // Issue 14: a deal's whole history, a page at a time (a middle page has both Newer and Older).
    let logged = deal;
    for (let i = 1; i <= 28; i++) logged = withChanges(logged, ALEX, `2026-11-21T09:${String(i).padStart(2, '0')}:00.000Z`, [{ kind: 'note', text: `Call ${i} with the CIO` }], {});
    capture('history', () => historyCard(t, 'en-US', logged, assemblePage(logged, 'history', pageRange(logged.history.length, 10, 20), new Map())));
    capture('history:historyCard(newest)', () => historyCard(t, 'en-US', logged));
    capture('history:historyCard(only page)', () => historyCard(t, 'en-US', deal));
    const trail = approvedAfterResubmission();
    capture('approval-trail:approvalTrailCard(oldest page)', () => approvalTrailCard(t, 'en-US', trail, assemblePage(trail, 'approvalTrail', pageRange(trail.approvalTrail.length, 10, 3), new Map())));
    // Issue 21: a proposal to confirm; the sample is the choice of deals (the message named none for sure).
    const said = 'Met Dana at Contoso, budget confirmed at 1.2m, moving to solution, value 1.4m EUR';
    const proposed = [
      { field: 'stage', value: 'Solution', span: { start: 47, end: 65 } },
      { field: 'value', value: 1400000, span: { start: 67, end: 81 } },
      { field: 'currency', value: 'EUR', span: { start: 67, end: 81 } },
      { field: 'budget', value: 'confirmed at 1.2m', span: { start: 21, end: 45 } },
      { field: 'note', value: 'Met Dana at Contoso', span: { start: 0, end: 19 } },
    ] as const;
    const proposalId = '5e9b03bb-5141-4447-aae3-b6c406aad0dc';
    capture('proposal', () => proposalCard(t, { proposalId, text: said, choices: [aDeal({}, { number: 1001 }), aDeal({ title: 'Azure landing zone', account: 'Contoso Bank' }, { number: 1050 })], rows: proposed }));
    capture('proposal:proposalCard(recognised)', () => proposalCard(t, { proposalId, text: said, deal: aDeal({}, { number: 1001 }), choices: [], rows: proposed }));
    capture('pick-deal-dialog', () => pickDealDialogCard(t, { action: 'logOnDeal', text: 'Customer wants the SOW by Friday', maxLength: 1000, deals: [deal, other], dealId: deal.id, dealRef: 'D-1001', error: 'x' }));
    // Issue 19: where a deal's changes stand with the CRM (waiting and finished; a notice when one finally failed).
    const synced = syncedDeal();
    capture('crm-sync', () => crmSyncCard(t, 'en-US', synced, true));
    capture('crm-sync:crmSyncCard(nothing yet)', () => crmSyncCard(t, 'en-US', deal, true));
    capture('message:crmSyncCard(no CRM)', () => crmSyncCard(t, 'en-US', deal, false));
    capture('message:crmFailedCard', () => crmFailedCard(t, synced, synced.notices.find((n) => n.kind === 'crmFailed') as CrmNotice));
    return views;
  } finally {
    spy.restore();
  }
}

describe('card templates (cards/*.json) with their samples (cards/samples/*.json)', () => {
  it('the templates are found, one per card the code renders', () => {
    const known: CardName[] = ['help', 'deal', 'deal-form', 'stage-gate', 'pipeline', 'choose-deal', 'message', 'alert', 'team', 'following', 'delivery-status', 'approval', 'approval-trail', 'approvers',
      'delivery-plan', 'csat', 'low-csat', 'csat-recovery', 'account', 'nudge', 'quota', 'my-team', 'digest',
      'pick-deal-dialog', 'history', 'crm-sync', 'proposal'];
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
        assertReady(card, name);
      });

      // BUG: cards/approvers.json has no "actions" at all, so the `approvers` card (and every answer of `set approvers`,
      // `approvals here`) is a dead end: no button leads on, against "every command also has a card path"
      // (product.md) and unlike every other card. Suggested fix: give the template an actions array, e.g.
      // [{ "type": "Action.Execute", "title": "${buttons.help}", "verb": "command.run", "data": { "command": "help" } }]
      // with `buttons: { help: t('button.help') }` in src/cards/approvers-card.ts (then regenerate cards/samples/approvers.json).
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

    it('every other state a builder produces (<template>:<builder>) fills its template with fields (and types) of the sample', () => {
      // Arrays left empty in a state (no decisions, no trail yet) only drop the paths under them.
      const outsideArrays = (shape: Set<string>) => [...shape].filter((path) => !path.includes('[]')).sort();
      const variants = Object.keys(views).filter((key) => key.includes(':'));
      assert.ok(variants.length >= 17, variants.join(', '));
      for (const key of variants) {
        const sample = shapeOf(sampleOf(key.split(':')[0]));
        const view = shapeOf(views[key]);
        assert.deepEqual([...view].filter((path) => !sample.has(path)), [], `${key}: fields the sample lacks`);
        assert.deepEqual(outsideArrays(view), outsideArrays(sample), `${key}: the same fields outside arrays`);
      }
    });

    it('every captured view (each builder, each state) is a view of its template\'s schema (src/cards/views/)', () => {
      for (const [key, view] of Object.entries(views)) {
        const result = CARD_VIEWS[key.split(':')[0] as CardName].safeParse(view);
        assert.deepEqual(result.success ? [] : result.error.issues, [], key);
      }
    });

    it('every captured view renders into a card Teams takes', () => {
      for (const [key, view] of Object.entries(views)) assertReady(renderCard(key.split(':')[0] as CardName, view as CardViews[CardName]), key);
    });

    it('the approval notices cover every kind, reason and owner event', () => {
      const keys = Object.keys(views).filter((key) => key.includes('approvalNoticeCard'));
      assert.deepEqual(keys.map((key) => /\((.*)\)/.exec(key)?.[1]).sort(), [
        'approvalCard',
        'toApprovers.escalation', 'toApprovers.reminder', 'toApprovers.requested',
        'toOwner.approved', 'toOwner.changesRequested', 'toOwner.levelApproved', 'toOwner.rejected', 'toOwner.requested',
      ]);
    });

    it('stage-gate: the approval line and the Request approval button come from the view', () => {
      const gate = views['stage-gate:stageGateCard(approval)'] as { approval: { text: string; button: string; value: string } };
      assert.ok(gate.approval.text.startsWith('D-1042 is a complex deal'), gate.approval.text);
      assert.deepEqual([gate.approval.button, gate.approval.value], ['Request approval', '']);
      const pending = views['stage-gate:stageGateCard(approval pending)'] as typeof gate;
      assert.equal(pending.approval.button, '');
      assert.deepEqual((views['stage-gate'] as typeof gate).approval, { text: '', button: '', value: '' });
      // Closing at a final value other than the deal's: approval is asked at that value.
      const other = views['stage-gate:stageGateCard(approval at another value)'] as typeof gate;
      assert.deepEqual([other.approval.text, other.approval.button, other.approval.value], [
        'D-1042 was approved for NWS $6,200,000; closing it Won with NWS $4,900,000 needs an approval of these terms.',
        'Request approval at $4,900,000',
        '4900000',
      ]);
    });

    // The samples of the deal-team, alert and approval cards are exactly what the builders make of the shared fixtures.
    for (const name of ['alert', 'team', 'following', 'delivery-status', 'approval', 'approval-trail', 'approvers']) {
      it(`${name}: the sample is exactly what its builder produces for test/cards/${name.startsWith('approv') ? 'approval' : 'alert'}-fixtures.ts (en-US)`, () => {
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
      const card = renderCard('message', { ...sample, text: undefined } as unknown as CardViews['message']);
      assert.deepEqual(unresolvedExpressions(card), ['$.body[1].text: ${text}']);
    });
  });
});
