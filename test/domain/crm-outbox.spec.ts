import assert from 'node:assert/strict';
import {
  CRM_CHANGES_MAX,
  CRM_LOG_MAX,
  CRM_OUTBOX_MAX,
  crmChangesOf,
  crmDealView,
  dueCrmEvents,
  recordConflicts,
  recordCrmEvent,
  recordCrmOutcomes,
} from '../../src/domain/crm-outbox';
import type { Deal } from '../../src/domain/deal';
import { addTeamMember } from '../../src/domain/deal-team';
import { setDealField } from '../../src/domain/set-deal-field';
import { movedDeal } from '../../src/domain/move-deal';
import { ALEX, aDeal, MEGAN } from './deal-fixture';

const T0 = '2026-11-20T10:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();
const stored = (deal: Deal): Deal => JSON.parse(JSON.stringify(deal)) as Deal;

/** A change as changeDeal records it: applied, then its CRM event recorded in the same deal. */
const change = (deal: Deal, act: (d: Deal) => Deal, when = T0, by = ALEX): Deal => stored(recordCrmEvent(deal, act(deal), by, when));

describe('the CRM outbox (recordCrmEvent, dueCrmEvents, recordCrmOutcomes, recordConflicts)', () => {
  it('a new deal gets event <id>.S1 reporting its creation, with the deal as it stands', () => {
    const created = aDeal();
    const deal = recordCrmEvent(undefined, created, ALEX, T0);
    assert.equal(deal.crmSeq, 1);
    assert.equal(deal.crmDueAt, T0);
    assert.deepEqual(deal.crmOutbox, [
      { eventId: 'D-1042.S1', deal: crmDealView(created), sequence: 1, changes: [{ kind: 'created' }], actor: ALEX, at: T0, state: 'queued', attempts: 0, nextAttemptAt: T0 },
    ]);
  });

  it('each later change is the next sequence, derived from what the write appended, carrying the deal after it', () => {
    let deal = stored(recordCrmEvent(undefined, aDeal(), ALEX, T0));
    deal = change(deal, (d) => setDealField(d, 'closeDate', '2027-04-15', ALEX, at(1)), at(1));
    deal = change(deal, (d) => addTeamMember(d, { person: MEGAN, role: 'architect' } as never, ALEX, at(2)), at(2));
    deal = change(deal, (d) => movedDeal(d, { stage: 'Qualify' }, {}, ALEX, at(3)), at(3));
    assert.deepEqual(deal.crmOutbox.map((e) => [e.eventId, e.sequence]), [['D-1042.S1', 1], ['D-1042.S2', 2], ['D-1042.S3', 3], ['D-1042.S4', 4]]);
    assert.deepEqual(deal.crmOutbox[1].changes, [{ kind: 'field', field: 'closeDate', from: '2027-03-31', to: '2027-04-15' }]);
    assert.equal(deal.crmOutbox[2].changes[0].kind, 'team');
    assert.deepEqual(deal.crmOutbox[3].changes, [{ kind: 'stage', from: 'Prospect', to: 'Qualify' }]);
    assert.equal(deal.crmOutbox[3].deal.stage, 'Qualify');
    assert.equal(deal.crmOutbox[1].deal.stage, 'Prospect', 'each event keeps the deal as it stood after its own write');
  });

  it('a write that appended nothing the CRM hears of leaves the outbox alone', () => {
    const deal = stored(recordCrmEvent(undefined, aDeal(), ALEX, T0));
    const same = recordCrmEvent(deal, { ...deal, rev: deal.rev + 1 }, ALEX, at(1));
    assert.equal(same.crmSeq, 1);
    assert.equal(same.crmOutbox.length, 1);
  });

  it('approval decisions and CSAT scores the write appended are changes too; reminders are not', () => {
    const before = aDeal();
    const after: Deal = {
      ...before,
      approvalTrail: [
        { at: T0, by: MEGAN, round: 1, event: 'decided', levelId: 'L1', levelName: 'Practice lead', decision: 'approved', comment: 'ok' },
        { at: T0, by: MEGAN, round: 1, event: 'reminded' },
      ],
      csat: [{ id: 'C1', score: 4, conditionsMet: 'yes', comment: 'good', by: MEGAN, at: T0, low: false } as never],
    };
    assert.deepEqual(crmChangesOf(before, after), [
      { kind: 'approval', round: 1, action: 'approved', by: MEGAN, level: 'Practice lead', comment: 'ok' },
      { kind: 'csat', score: 4, comment: 'good' },
    ]);
  });

  it(`past ${CRM_OUTBOX_MAX} waiting, a change folds into the newest under a NEW id and sequence; nothing is lost`, () => {
    let deal = stored(recordCrmEvent(undefined, aDeal(), ALEX, T0));
    for (let i = 1; i < CRM_OUTBOX_MAX; i++) deal = change(deal, (d) => setDealField(d, 'probability', String(i), ALEX, at(i)), at(i));
    assert.equal(deal.crmOutbox.length, CRM_OUTBOX_MAX);
    const newest = deal.crmOutbox[CRM_OUTBOX_MAX - 1];
    deal = change(deal, (d) => setDealField(d, 'nextStep', 'workshop', ALEX, at(99)), at(99));
    assert.equal(deal.crmOutbox.length, CRM_OUTBOX_MAX, 'the outbox does not grow');
    const folded = deal.crmOutbox[CRM_OUTBOX_MAX - 1];
    assert.equal(folded.eventId, `D-1042.S${CRM_OUTBOX_MAX + 1}`);
    assert.equal(folded.sequence, CRM_OUTBOX_MAX + 1);
    assert.ok(!deal.crmOutbox.some((e) => e.eventId === newest.eventId), 'the old id is gone: its changes go out under the new one');
    assert.deepEqual(folded.changes.map((c) => c.kind === 'field' && c.field), ['probability', 'nextStep']);
    assert.equal(folded.deal.nextStep, 'workshop');
  });

  it(`a folded event reports at most the newest ${CRM_CHANGES_MAX} changes`, () => {
    let deal = stored(recordCrmEvent(undefined, aDeal(), ALEX, T0));
    for (let i = 1; i < CRM_OUTBOX_MAX + CRM_CHANGES_MAX + 5; i++) deal = change(deal, (d) => setDealField(d, 'probability', String(i % 100), ALEX, at(i)), at(i));
    assert.equal(deal.crmOutbox.at(-1)!.changes.length, CRM_CHANGES_MAX);
  });

  it('due events are sent in sequence order, up to the first still waiting', () => {
    let deal = stored(recordCrmEvent(undefined, aDeal(), ALEX, T0));
    deal = change(deal, (d) => setDealField(d, 'probability', '20', ALEX, at(1)), at(1));
    deal = change(deal, (d) => setDealField(d, 'probability', '30', ALEX, at(2)), at(2));
    assert.deepEqual(dueCrmEvents(deal, at(5)).map((e) => e.sequence), [1, 2, 3]);
    deal = recordCrmOutcomes(deal, [{ eventId: 'D-1042.S1', state: 'retrying', attempts: 1, at: at(5), nextAttemptAt: at(60), lastError: 'HTTP 503' }]);
    assert.deepEqual(dueCrmEvents(deal, at(10)), [], 'later events wait behind the first');
    assert.equal(deal.crmDueAt, at(60), 'the sweep finds the deal when its first event may go, not before');
  });

  it('sent and failed events leave the outbox for the log; the link is kept; an event folded away meanwhile is skipped', () => {
    let deal = stored(recordCrmEvent(undefined, aDeal(), ALEX, T0));
    deal = change(deal, (d) => setDealField(d, 'probability', '20', ALEX, at(1)), at(1));
    deal = recordCrmOutcomes(deal, [
      { eventId: 'D-1042.S1', state: 'sent', attempts: 2, at: at(3), link: { recordId: 'opp-1', etag: 'W/"1"' } },
      { eventId: 'D-1042.S2', state: 'failed', attempts: 1, at: at(4), reason: 'HTTP 400' },
      { eventId: 'D-1042.S9', state: 'sent', attempts: 1, at: at(4) },
    ]);
    assert.deepEqual(deal.crmOutbox, []);
    assert.equal(deal.crmDueAt, undefined);
    assert.deepEqual(deal.crmLink, { recordId: 'opp-1', etag: 'W/"1"' });
    assert.deepEqual(deal.crmLog, [
      { eventId: 'D-1042.S1', sequence: 1, state: 'sent', attempts: 2, at: at(3), kinds: ['created'] },
      { eventId: 'D-1042.S2', sequence: 2, state: 'failed', attempts: 1, reason: 'HTTP 400', at: at(4), kinds: ['field'] },
    ]);
  });

  it(`the log keeps the latest ${CRM_LOG_MAX}`, () => {
    let deal = stored(recordCrmEvent(undefined, aDeal(), ALEX, T0));
    for (let i = 1; i <= CRM_LOG_MAX + 3; i++) {
      deal = change(deal, (d) => setDealField(d, 'probability', String(i), ALEX, at(i)), at(i));
      deal = recordCrmOutcomes(deal, deal.crmOutbox.map((e) => ({ eventId: e.eventId, state: 'sent', attempts: 1, at: at(i) })));
    }
    assert.equal(deal.crmLog.length, CRM_LOG_MAX);
    assert.equal(deal.crmLog.at(-1)!.sequence, CRM_LOG_MAX + 4);
  });

  it('conflicts become history entries with both values and what was kept', () => {
    const deal = recordConflicts(aDeal(), [{ field: 'closeDate', dealdesk: '2027-03-31', crm: '2027-04-15', kept: 'crm' }], MEGAN, T0);
    assert.deepEqual(deal.history.at(-1), { at: T0, by: MEGAN, change: { kind: 'conflict', field: 'closeDate', dealdesk: '2027-03-31', crm: '2027-04-15', kept: 'crm' } });
    assert.deepEqual(crmChangesOf(aDeal(), deal), [], 'a conflict is not sent back to the CRM');
  });
});
