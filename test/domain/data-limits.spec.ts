import assert from 'node:assert/strict';
import { ALERT_ACTORS_MAX, OUTBOX_MAX, recordAlert } from '../../src/domain/alert-outbox';
import type { Notice } from '../../src/domain/approval';
import { CSAT_AD_HOC_MAX, recordCsat } from '../../src/domain/csat';
import type { Deal } from '../../src/domain/deal';
import { MILESTONES_MAX, recordMilestone, savePlan } from '../../src/domain/delivery-plan-rules';
import type { Person } from '../../src/domain/person';
import { assertRoomForNotices, NOTICES_WAITING_MAX_BYTES } from '../../src/domain/waiting-notices';
import { plannedDeal } from '../cards/csat-fixtures';
import { ALEX, aDealIn, domainErrorOf } from './deal-fixture';

/**
 * Issue 14, item 7: every list that grows inside a deal document over its life has a bound (docs/data-limits.md).
 * History and the audit trail are archived (deal-archive.spec.ts); the team, the alert log, CRM event ids and the
 * window's own caps have their specs; these are the bounds added or fixed with the review.
 */
const T0 = '2026-11-20T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const usd = (amount: number) => ({ amount, currency: 'USD' as const });
const person = (n: number): Person => ({ id: `aad-${n}`, name: `Person ${n}` });

describe('bounds on what grows inside a deal document (issue 14, item 7)', () => {
  describe('CSAT scores', () => {
    const adHoc = (deal: Deal, n: number) => recordCsat(deal, { score: '4', conditionsMet: 'yes', comment: `ad hoc ${n}` }, undefined, ALEX, at(n));

    it(`at most ${CSAT_AD_HOC_MAX} recorded without a follow-up asking; a follow-up's own score is still taken`, () => {
      let deal = plannedDeal();
      for (let n = 1; n <= CSAT_AD_HOC_MAX; n++) deal = adHoc(deal, n);
      const refused = domainErrorOf(() => adHoc(deal, 99));
      assert.equal(refused.code, 'CSAT.TOO_MANY');
      assert.deepEqual(refused.params, { id: deal.id, max: CSAT_AD_HOC_MAX });
      const asked = deal.delivery!.followUps.find((f) => f.status === 'asked')!;
      const answered = recordCsat(deal, { followUpId: asked.id, score: '5', conditionsMet: 'yes', comment: '' }, undefined, ALEX, at(100));
      assert.equal(answered.csat.length, CSAT_AD_HOC_MAX + 1);
    });
  });

  describe('delivery milestones', () => {
    const lines = (from: number, count: number) => Array.from({ length: count }, (_, i) => `Wave ${from + i}`).join('\n');

    it(`the plan's lines plus the milestones already done may not pass ${MILESTONES_MAX} (done ones stay, so the lines could pile them up)`, () => {
      let deal = savePlan(plannedDeal(), { kickoff: '2026-12-01', plannedEnd: '2027-12-01', milestones: lines(1, 15) }, ALEX, at(1));
      for (let i = 1; i <= 15; i++) deal = recordMilestone(deal, `Wave ${i}`, { kind: 'done' }, ALEX, at(1 + i));
      // Go-live (done in the fixture) and waves 1–15 are done: 16. Five new lines would make 21.
      const refused = domainErrorOf(() => savePlan(deal, { kickoff: '2026-12-01', plannedEnd: '2027-12-01', milestones: lines(100, 5) }, ALEX, at(50)));
      assert.equal(refused.code, 'PLAN.MILESTONES_TOO_MANY');
      const saved = savePlan(deal, { kickoff: '2026-12-01', plannedEnd: '2027-12-01', milestones: lines(100, 4) }, ALEX, at(50));
      assert.equal(saved.delivery!.milestones.length, MILESTONES_MAX);
      assert.equal(domainErrorOf(() => recordMilestone(saved, 'One more', { kind: 'done' }, ALEX, at(60))).code, 'PLAN.MILESTONES_TOO_MANY');
      // Follow-ups: kickoff and end, and one per milestone done.
      assert.ok(saved.delivery!.followUps.length <= 2 + MILESTONES_MAX);
    });
  });

  describe('alerts', () => {
    const start = (): Deal => aDealIn('Prospect', { value: usd(1_000_000) });
    const apply = (deal: Deal, patch: Partial<Deal>, when: string, by: Person, coalesceMs = 60_000): Deal => recordAlert(deal, { ...deal, ...patch, rev: deal.rev + 1 }, by, when, coalesceMs);

    it(`an alert names at most ${ALERT_ACTORS_MAX} people (a CRM can send many names within a minute)`, () => {
      let deal = start();
      for (let n = 1; n <= 12; n++) deal = apply(deal, { value: usd(1_000_000 + n * 200_000) }, at(0), person(n));
      assert.equal(deal.outbox.length, 1);
      assert.deepEqual(deal.outbox[0].actors.map((p) => p.id), Array.from({ length: ALERT_ACTORS_MAX }, (_, i) => `aad-${i + 1}`));
    });

    it(`while delivery is stuck, the outbox stops at ${OUTBOX_MAX}: a further change folds into the newest alert, under a new id, and is not lost`, () => {
      let deal = start();
      // One alert-worthy change every two minutes, each in a window of its own: nothing takes them out.
      for (let n = 1; n <= OUTBOX_MAX; n++) deal = apply(deal, { value: usd(1_000_000 * 2 ** n) }, at(2 * n), ALEX);
      assert.equal(deal.outbox.length, OUTBOX_MAX);
      const newest = deal.outbox.at(-1)!;
      const older = deal.outbox.slice(0, -1);
      deal = apply(deal, { closeDate: '2027-09-30' }, at(100), ALEX);
      assert.equal(deal.outbox.length, OUTBOX_MAX);
      const folded = deal.outbox.at(-1)!;
      assert.notEqual(folded.id, newest.id, 'a new id: deliveries of the old one may exist');
      assert.equal(folded.id, `${deal.id}.A${OUTBOX_MAX + 1}`);
      assert.deepEqual(folded.base, newest.base);
      assert.deepEqual(folded.changes.map((c) => c.kind), ['value', 'closeDate']);
      assert.deepEqual(deal.outbox.slice(0, -1), older);
      // A change no one is alerted about leaves the full outbox as it is.
      const noted = apply(deal, { nextStep: 'Call back' }, at(110), ALEX);
      assert.deepEqual(noted.outbox, deal.outbox);
    });
  });

  describe('messages waiting to go out (approval and follow-up notices)', () => {
    const toMany = Array.from({ length: 40 }, (_, n) => person(n));
    const notice = (n: number): Notice => ({ id: `lowCsat.C${n}`, kind: 'lowCsat', csatId: `C${n}`, to: toMany });
    const waiting = (count: number): Deal => ({ ...aDealIn('Proof'), notices: Array.from({ length: count }, (_, n) => notice(n)) });
    const bytes = (deal: Deal) => Buffer.byteLength(JSON.stringify(deal.notices));

    it(`a change that adds one is refused once those waiting weigh more than ${NOTICES_WAITING_MAX_BYTES / 1024} KB (delivery is stuck); one that adds none is not`, () => {
      let deal = waiting(0);
      while (bytes(deal) <= NOTICES_WAITING_MAX_BYTES) {
        const next = { ...deal, notices: [...deal.notices, notice(deal.notices.length)] };
        assert.doesNotThrow(() => assertRoomForNotices(deal, next));
        deal = next;
      }
      const more = { ...deal, notices: [...deal.notices, notice(999)] };
      const refused = domainErrorOf(() => assertRoomForNotices(deal, more));
      assert.equal(refused.code, 'DEAL.MESSAGES_WAITING');
      assert.doesNotThrow(() => assertRoomForNotices(deal, { ...deal, nextStep: 'Call back' }));
      assert.doesNotThrow(() => assertRoomForNotices(deal, { ...deal, notices: deal.notices.slice(1) }));
    });
  });
});
