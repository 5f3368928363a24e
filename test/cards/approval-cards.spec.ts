import assert from 'node:assert/strict';
import { approvalCard } from '../../src/cards/approval-card';
import { REFRESH_USERS_MAX } from '../../src/domain/live-card';
import { approvalNoticeCard } from '../../src/cards/approval-notice-card';
import { approvalTrailCard, TRAIL_PAGE } from '../../src/cards/approval-trail-card';
import { assemblePage, pageRange } from '../../src/domain/entry-page';
import { approversCard } from '../../src/cards/approvers-card';
import { stageGateCard } from '../../src/cards/stage-gate-card';
import type { Notice } from '../../src/domain/approval';
import { decide, requestApproval } from '../../src/domain/approval-round';
import type { Deal } from '../../src/domain/deal';
import { evaluatePolicy } from '../../src/domain/evaluate-policy';
import type { Person } from '../../src/domain/person';
import { formatInstant } from '../../src/i18n/format';
import { type Locale, translator } from '../../src/i18n/locale';
import { ALEX } from '../domain/deal-fixture';
import {
  ADELE,
  approvalInProgress,
  approvedAfterResubmission,
  complexDeal,
  hoursLater,
  ISAIAH,
  LYNNE,
  MEGAN_APPROVER,
  PATTI,
  REQUESTED_AT,
  requestedDeal,
  staffedPolicy,
  TIMING,
} from './approval-fixtures';
import { actionsOf, assertTeamsReady, displayedTextsOf, inputsOf } from './card-check';
import { parseCommand } from '../../src/chat/parse-command';

/** A button's data that runs what typing `text` runs (the typed command, never parsed on a press). */
const pressing = (text: string) => ({ command: parseCommand(text) });

type Card = Record<string, unknown>;
type Refresh = { action: Card; userIds: string[] };

const t = translator('en-US');
const refreshOf = (card: Card) => card.refresh as Refresh | undefined;
/** The card's own actions (its buttons), leaving out the refresh action. */
const buttonsOf = (card: unknown) => actionsOf({ ...(card as Card), refresh: undefined });
const titles = (card: unknown) => buttonsOf(card).map((a) => a.title);
/** The round's first level started at REQUESTED_AT (2026-11-20 10:00 UTC), as each language writes it. */
const REQUESTED_SINCE: Record<Locale, string> = { 'en-US': formatInstant('en-US', REQUESTED_AT), 'zh-CN': formatInstant('zh-CN', REQUESTED_AT) };
/** A message whose {level} and {approvers} are filled with anything: the level's name and people are the fixture's. */
const waitingLine = (message: string) => new RegExp(`^${message.split(/\{level\}|\{approvers\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`);

/** `count` approvers; with a Teams user id when `withUserIds`. */
const approvers = (count: number, withUserIds: boolean): Person[] =>
  Array.from({ length: count }, (_, i) => ({ id: `aad-approver-${i}`, name: `Approver ${i}`, ...(withUserIds ? { userId: `29:approver-${i}` } : {}) }));

/** A round requested with the manager level staffed by `people`. */
const requestedWith = (people: Person[], mode: 'any' | 'all' = 'any'): Deal => requestedDeal(complexDeal(), staffedPolicy({ manager: { approvers: people, mode } }));

describe('approval cards (builders)', () => {
  describe('the approval card: user-specific views (refresh)', () => {
    it('approvers of the active level with Teams user ids get a top-level refresh (Action.Execute), listing exactly them', () => {
      const card = approvalCard(t, 'en-US', approvalInProgress()); // the director level is active
      const refresh = refreshOf(card);
      assert.ok(refresh, 'refresh');
      assert.deepEqual(refresh.userIds, [ISAIAH.userId, PATTI.userId]);
      assert.equal(refresh.action.type, 'Action.Execute');
      assert.equal(refresh.action.verb, 'approval.refresh');
      assert.deepEqual(refresh.action.data, { dealId: 'D-1042' });
      assert.equal(refresh.action.title, 'Refresh');
      assertTeamsReady(card, 'approval with refresh');
    });

    it('follows the active level: the manager level’s approvers first', () => {
      assert.deepEqual(refreshOf(approvalCard(t, 'en-US', requestedDeal()))?.userIds, [MEGAN_APPROVER.userId, ADELE.userId]);
    });

    it('approvers without Teams user ids: no refresh at all (the base card reads on its own)', () => {
      const card = approvalCard(t, 'en-US', requestedWith(approvers(3, false)));
      assert.equal('refresh' in card, false);
      assertTeamsReady(card, 'approval without refresh');
    });

    it('only the approvers with a Teams user id are listed', () => {
      const people = [...approvers(2, false), { id: 'aad-known', name: 'Known', userId: '29:known' }];
      assert.deepEqual(refreshOf(approvalCard(t, 'en-US', requestedWith(people)))?.userIds, ['29:known']);
    });

    for (const count of [1, 59, 60, 61, 75, 200]) {
      it(`${count} approvers with user ids → ${Math.min(count, REFRESH_USERS_MAX)} user ids (never more than ${REFRESH_USERS_MAX}), the first ones`, () => {
        const people = approvers(count, true);
        const card = approvalCard(t, 'en-US', requestedWith(people, 'all'));
        const userIds = refreshOf(card)?.userIds ?? [];
        assert.equal(REFRESH_USERS_MAX, 60);
        assert.ok(userIds.length <= 60);
        assert.deepEqual(userIds, people.slice(0, 60).map((p) => p.userId));
        assertTeamsReady(card, `approval with ${count} approvers`);
      });
    }

    it('a finished round (approved, rejected) has no refresh', () => {
      assert.equal('refresh' in approvalCard(t, 'en-US', approvedAfterResubmission()), false);
      assert.equal('refresh' in approvalCard(t, 'en-US', decide(requestedDeal(), ADELE, 'rejected', 'No', hoursLater(1), TIMING)), false);
    });
  });

  for (const locale of ['en-US', 'zh-CN'] as const satisfies readonly Locale[]) {
    const tl = translator(locale);

    describe(`the approval card (${locale})`, () => {
      it('pending: a comment box and Approve / Reject / Request changes carrying the deal, round and active level; then Audit trail', () => {
        const card = approvalCard(tl, locale, approvalInProgress());
        assertTeamsReady(card, 'approval');
        assert.deepEqual(titles(card), [tl('button.approve'), tl('button.reject'), tl('button.requestChanges'), tl('button.auditTrail')]);
        const decisions = buttonsOf(card).filter((a) => a.verb === 'approval.decide').map((a) => a.data);
        assert.deepEqual(decisions, ['approved', 'rejected', 'changesRequested'].map((decision) => ({ dealId: 'D-1042', round: 1, levelId: 'director', decision })));
        assert.deepEqual(buttonsOf(card).at(-1)?.data, pressing('approval D-1042'));
        const comment = inputsOf(card).get('comment');
        assert.ok(comment, 'comment input');
        assert.equal(comment.maxLength, 500);
      });

      it('finished: only the audit trail, no comment box, the status says how it ended', () => {
        const approved = approvalCard(tl, locale, approvedAfterResubmission());
        assertTeamsReady(approved, 'approval (approved)');
        assert.deepEqual(titles(approved), [tl('button.auditTrail')]);
        assert.equal(inputsOf(approved).size, 0);
        assert.ok(displayedTextsOf(approved).includes(tl('approval.status.approved')));
        const returned = approvalCard(tl, locale, decide(requestedDeal(), ADELE, 'changesRequested', 'Cap the discount', hoursLater(1), TIMING));
        assert.ok(displayedTextsOf(returned).includes(tl('approval.status.changesRequested')));
      });

      it('round 2 says so in its heading', () => {
        const round2 = approvedAfterResubmission();
        assert.ok(displayedTextsOf(approvalCard(tl, locale, round2)).some((text) => text.includes('D-1042') && text.includes('2')));
      });
    });

    describe(`the notices as cards (${locale})`, () => {
      const find = (deal: Deal, match: (n: Notice) => boolean) => deal.notices.find(match)!;

      it('approvalCard: the approval card itself, no notice line', () => {
        const deal = requestedDeal();
        const card = approvalNoticeCard(tl, locale, deal, find(deal, (n) => n.kind === 'approvalCard'))!;
        assert.deepEqual(card, approvalCard(tl, locale, deal));
      });

      for (const reason of ['requested', 'reminder', 'escalation'] as const) {
        it(`toApprovers (${reason}): the approval card, headed by the ask naming the level`, () => {
          const deal = approvedAfterResubmission();
          const notice = find(deal, (n) => n.kind === 'toApprovers' && n.reason === reason);
          const card = approvalNoticeCard(tl, locale, deal, notice) as Card;
          assertTeamsReady(card, `toApprovers.${reason}`);
          const level = deal.approval!.levels.find((l) => l.id === (notice as { levelId: string }).levelId)!.name;
          assert.equal(displayedTextsOf(card)[0], tl(`approval.ask.${reason}`, { level }));
        });
      }

      it('toOwner rejected / changes requested: who and why, with Resubmit (request approval) and Open deal', () => {
        for (const decision of ['rejected', 'changesRequested'] as const) {
          const deal = decide(requestedDeal(), ADELE, decision, 'Cap the discount at 15 %', hoursLater(1), TIMING);
          const card = approvalNoticeCard(tl, locale, deal, find(deal, (n) => n.kind === 'toOwner' && n.event === decision))!;
          assertTeamsReady(card, `toOwner.${decision}`);
          const text = displayedTextsOf(card).join('\n');
          assert.ok(text.includes('Adele Vance') && text.includes('Cap the discount at 15 %') && text.includes('D-1042'), text);
          assert.deepEqual(actionsOf(card).map((a) => a.data), [pressing('request approval D-1042'), pressing('deal D-1042'), pressing('help')]);
        }
      });

      it('toOwner level approved: names the level now deciding; approved: says it can close Won; neither offers Resubmit', () => {
        const inProgress = approvalInProgress();
        const level = approvalNoticeCard(tl, locale, inProgress, find(inProgress, (n) => n.kind === 'toOwner' && n.event === 'levelApproved'))!;
        assert.ok(displayedTextsOf(level).some((text) => text.includes('Director')));
        const approved = approvedAfterResubmission();
        const done = approvalNoticeCard(tl, locale, approved, find(approved, (n) => n.kind === 'toOwner' && n.event === 'approved'))!;
        assert.ok(displayedTextsOf(done).includes(tl('approval.owner.approved', { id: 'D-1042' })));
        for (const card of [level, done]) assert.deepEqual(actionsOf(card).map((a) => a.data), [pressing('deal D-1042'), pressing('help')]);
      });

      it('a deal without a round makes no card', () => {
        assert.equal(approvalNoticeCard(tl, locale, complexDeal(), { id: 'R1.0.0', kind: 'approvalCard', round: 1 }), undefined);
      });
    });

    describe(`the audit trail card (${locale})`, () => {
      it('newest first, ten a page, each with its round; Older pages back to the first entry; Open deal', () => {
        const deal = approvedAfterResubmission();
        assert.equal(deal.approvalTrail.length, 13);
        const card = approvalTrailCard(tl, locale, deal);
        assertTeamsReady(card, 'approval-trail');
        const [, range, ...lines] = displayedTextsOf(card);
        assert.equal(range, tl('page.range', { from: '4', to: '13', total: '13' }));
        assert.equal(lines.length, TRAIL_PAGE);
        assert.ok(lines[0].includes(tl('approval.event.approved')), lines[0]);
        assert.ok(lines.at(-1)!.includes(tl('approval.event.resubmitted')), lines.at(-1));
        assert.ok(lines.every((line) => line.includes(tl('approval.roundShort', { round: 2 }))));
        assert.deepEqual(actionsOf(card).map((a) => [a.verb, a.data]), [['approval.page', { dealId: 'D-1042', end: 3 }], ['deal.show', { dealId: 'D-1042', end: 0 }]]);

        const oldest = approvalTrailCard(tl, locale, deal, assemblePage(deal, 'approvalTrail', pageRange(13, TRAIL_PAGE, 3), new Map()));
        assertTeamsReady(oldest, 'approval-trail (oldest page)');
        const [, oldestRange, ...first] = displayedTextsOf(oldest);
        assert.equal(oldestRange, tl('page.range', { from: '1', to: '3', total: '13' }));
        assert.equal(first.length, 3);
        assert.ok(first.every((line) => line.includes(tl('approval.roundShort', { round: 1 }))));
        assert.ok(first.at(-1)!.includes(tl('approval.event.requested')), first.at(-1));
        // Newer goes back to the newest page (no end: whatever arrived since).
        assert.deepEqual(actionsOf(oldest).map((a) => [a.verb, a.data]), [['approval.page', { dealId: 'D-1042', end: 0 }], ['deal.show', { dealId: 'D-1042', end: 0 }]]);
      });

      it('no approval yet: says so', () => {
        const card = approvalTrailCard(tl, locale, complexDeal());
        assertTeamsReady(card, 'approval-trail (empty)');
        assert.deepEqual(displayedTextsOf(card).slice(1), [tl('approval.trailEmpty')]);
        assert.deepEqual(actionsOf(card).map((a) => a.verb), ['deal.show']);
      });

      // Was a bug (fixed): src/cards/approval-trail-card.ts:9 names an entry's level from the CURRENT round only
      // (`deal.approval?.levels.find(...)?.name ?? e.levelId`); the deal keeps only its latest round, so after a resubmission
      // that no longer needs a level (e.g. the discount was cut, so no deal desk), the earlier round's entries show the raw id:
      // "rejected at dealDesk", "dealDesk started". (A level renamed in the policy would likewise rewrite the audit trail.)
      // Suggested fix: record the level's name in the AuditEntry when it is written (src/domain/approval-round.ts, e.g. a
      // `levelName` next to `levelId`) and show that; fall back to the current round only for older entries.
      it('an earlier round’s level that the current round lacks is still shown by its name, never its id', () => {
        let deal = approvalInProgress();
        deal = decide(deal, PATTI, 'approved', '', hoursLater(6), TIMING);
        deal = decide(deal, LYNNE, 'rejected', 'Discount too deep', hoursLater(7), TIMING);
        const cheaper = { ...deal, discountPct: 10 };
        const policy = staffedPolicy();
        const round2 = requestApproval(cheaper, policy, ALEX, '', hoursLater(8), TIMING, { confirmToOwner: false });
        assert.deepEqual(round2.approval?.levels.map((l) => l.id), ['manager', 'director']);
        const lines = displayedTextsOf(approvalTrailCard(tl, locale, round2));
        assert.deepEqual(lines.filter((line) => line.includes('dealDesk')), []);
        assert.ok(lines.some((line) => line.includes('Deal desk')));
      });
    });

    describe(`the approvers card (${locale})`, () => {
      it('each level in order with its people and mode, whether the channel is set, the rules and the usage', () => {
        const card = approversCard(tl, locale, staffedPolicy({ director: { approvers: [] } }), false, tl('approvers.updated'));
        assertTeamsReady(card, 'approvers');
        const texts = displayedTextsOf(card);
        assert.equal(texts[0], tl('approvers.updated'));
        assert.ok(texts.includes(tl('approvers.channelUnset')));
        assert.ok(texts.includes(tl('approval.anyOf', { names: 'Megan Bowen, Adele Vance' })));
        assert.ok(texts.includes(tl('approvers.none')));
        assert.ok(texts.includes(tl('approval.anyOf', { names: 'Lynne Robbins' })));
        assert.ok(texts.includes(tl('approvers.usage')));
        assert.ok(displayedTextsOf(approversCard(tl, locale, staffedPolicy(), true)).includes(tl('approvers.channelSet')));
      });
    });

    describe(`the stage gate of a complex deal closing Won (${locale})`, () => {
      it('no round yet: the approval line and a Request approval button that sends the inputs, none required, and no Move', () => {
        const deal = complexDeal();
        const card = stageGateCard(tl, locale, deal, { stage: 'Close', outcome: 'Won' }, { missing: ['finalValue', 'approval'], reason: false });
        assertTeamsReady(card, 'stage-gate');
        assert.ok(displayedTextsOf(card).some((text) => text.startsWith(tl('gate.approvalNeeded', { id: 'D-1042', status: '' }).trim())));
        const request = actionsOf(card).find((a) => a.title === tl('button.requestApproval'));
        assert.deepEqual([request?.verb, request?.data], ['approval.request', { dealId: 'D-1042', rev: deal.rev, value: '' }]);
        assert.equal(request?.associatedInputs, 'auto');
        assert.deepEqual([...inputsOf(card).keys()], ['finalValue'], 'approval is not an input');
        assert.equal(inputsOf(card).get('finalValue')?.isRequired, false, 'Teams sends a partly filled form with the request');
        assert.equal(titles(card).includes(tl('gate.submit', { stage: tl('outcome.Won') })), false, 'no Move button that could only be refused');
      });

      it('a round under way: the line says so and there is no Request approval button', () => {
        const card = stageGateCard(tl, locale, requestedDeal(), { stage: 'Close', outcome: 'Won' }, { missing: ['approval'], reason: false });
        assertTeamsReady(card, 'stage-gate (pending)');
        const waiting = waitingLine(tl('gate.approvalWaiting', { id: 'D-1042', since: REQUESTED_SINCE[locale] }));
        assert.ok(displayedTextsOf(card).some((text) => waiting.test(text)), displayedTextsOf(card).join(' | '));
        assert.equal(titles(card).includes(tl('button.requestApproval')), false);
        assert.equal(titles(card).includes(tl('gate.submit', { stage: tl('outcome.Won') })), false, 'no Move button that could only be refused');
        assert.equal(inputsOf(card).size, 0);
      });

      it('approved for other terms: the line names what was approved and what the close would be; the offer is at the final value', () => {
        const approved = approvedAfterResubmission(); // NWS 6.2M, 20 % discount, two service lines
        const card = stageGateCard(tl, locale, approved, { stage: 'Close', outcome: 'Won' }, { missing: ['approval'], reason: false, approval: 'otherTerms', closingAmount: 4_900_000 });
        assertTeamsReady(card, 'stage-gate (other terms)');
        const money = (amount: number) => new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(amount);
        const approvedFor = tl('terms.value', { value: money(6_200_000) });
        const closingWith = tl('terms.value', { value: money(4_900_000) });
        assert.ok(displayedTextsOf(card).includes(tl('gate.approvalOtherTerms', { id: 'D-1042', approved: approvedFor, terms: closingWith })), displayedTextsOf(card).join(' | '));
        const offer = buttonsOf(card).find((a) => a.title === tl('button.requestApprovalAt', { value: money(4_900_000) }));
        assert.deepEqual([offer?.verb, offer?.data], ['approval.request', { dealId: 'D-1042', rev: approved.rev, value: '4900000' }]);
        // A raised discount at the approved value: the line names the discount, the offer is the plain one.
        const discounted = { ...approved, discountPct: 30 };
        const line = displayedTextsOf(stageGateCard(tl, locale, discounted, { stage: 'Close', outcome: 'Won' }, { missing: ['approval'], reason: false, approval: 'otherTerms' }));
        assert.ok(line.includes(tl('gate.approvalOtherTerms', { id: 'D-1042', approved: tl('terms.discount', { pct: 20 }), terms: tl('terms.discount', { pct: 30 }) })), line.join(' | '));
      });

      it('a round under way for other terms, a round without recorded terms, a policy that asks for more levels: each says so', () => {
        const won = { stage: 'Close', outcome: 'Won' } as const;
        const text = (deal: Deal, approval: 'pendingOtherTerms' | 'unrecorded' | 'moreLevels') => displayedTextsOf(stageGateCard(tl, locale, deal, won, { missing: ['approval'], reason: false, approval }));
        const pending = { ...requestedDeal(), discountPct: 10 };
        const otherTerms = waitingLine(tl('gate.approvalWaitingOtherTerms', { id: 'D-1042', approved: tl('terms.discount', { pct: 20 }), since: REQUESTED_SINCE[locale] }));
        assert.ok(text(pending, 'pendingOtherTerms').some((line) => otherTerms.test(line)), text(pending, 'pendingOtherTerms').join(' | '));
        const approved = approvedAfterResubmission();
        assert.ok(text({ ...approved, approval: { ...approved.approval!, terms: undefined } }, 'unrecorded').includes(tl('gate.approvalUnrecorded', { id: 'D-1042' })));
        assert.ok(text(approved, 'moreLevels').includes(tl('gate.approvalMoreLevels', { id: 'D-1042' })));
      });

      it('approval not missing: no approval line, no button', () => {
        const card = stageGateCard(tl, locale, complexDeal(), { stage: 'Close', outcome: 'Won' }, { missing: ['finalValue'], reason: false });
        assert.equal(titles(card).includes(tl('button.requestApproval')), false);
        assert.equal(displayedTextsOf(card).some((text) => text.includes(tl('gate.approvalPending'))), false);
      });
    });
  }

  it('(fixture sanity) the requested round started at REQUESTED_AT', () => {
    assert.equal(requestedDeal().approval?.requestedAt, REQUESTED_AT);
  });
});
