import assert from 'node:assert/strict';
import { errorText } from '../../src/chat/error-reply';
import type { Turn } from '../../src/chat/reply';
import type { PolicyReason } from '../../src/domain/approval-policy';
import { type AuditEntry, DECISIONS, type LevelState, type Notice } from '../../src/domain/approval';
import { applyApprovalTimers, decide, requestApproval } from '../../src/domain/approval-round';
import type { DomainError } from '../../src/domain/errors';
import { evaluatePolicy } from '../../src/domain/evaluate-policy';
import { enUS, LOCALES, translator, zhCN } from '../../src/i18n/locale';
import { ADELE, approvedAfterResubmission, complexDeal, DEALDESK, hoursLater, ISAIAH, PATTI, requestedDeal, staffedPolicy, TIMING } from '../cards/approval-fixtures';
import { aDeal, ALEX, domainErrorOf } from '../domain/deal-fixture';

type OwnerEvent = Extract<Notice, { kind: 'toOwner' }>['event'];
type AskReason = Extract<Notice, { kind: 'toApprovers' }>['reason'];

/** The names the approval cards build message keys from (`approval.<group>.<name>`). Typed, so a new one must be listed here. */
const LEVEL_STATUSES = ['waiting', 'active', 'approved', 'rejected', 'changesRequested'] as const satisfies readonly LevelState['status'][];
const ROUND_STATUSES = ['pending', 'approved', 'rejected', 'changesRequested'] as const;
const EVENTS = ['requested', 'resubmitted', 'decided', 'levelStarted', 'approved', 'rejected', 'changesRequested', 'reminded', 'escalated'] as const satisfies readonly AuditEntry['event'][];
const OWNER_EVENTS = ['requested', 'levelApproved', 'approved', 'rejected', 'changesRequested'] as const satisfies readonly OwnerEvent[];
const ASK_REASONS = ['requested', 'reminder', 'escalation'] as const satisfies readonly AskReason[];
const REASON_KINDS = ['nws', 'discount', 'terms', 'serviceLines'] as const satisfies readonly PolicyReason['kind'][];
// Compile-time (npm run typecheck): each list names every member of its union.
type Covers<Union, Listed> = [Exclude<Union, Listed>] extends [never] ? true : false;
const everyStatus: Covers<LevelState['status'], (typeof LEVEL_STATUSES)[number]> = true;
const everyEvent: Covers<AuditEntry['event'], (typeof EVENTS)[number]> = true;
const everyOwnerEvent: Covers<OwnerEvent, (typeof OWNER_EVENTS)[number]> = true;
const everyReason: Covers<AskReason, (typeof ASK_REASONS)[number]> = true;
const everyKind: Covers<PolicyReason['kind'], (typeof REASON_KINDS)[number]> = true;
void [everyStatus, everyEvent, everyOwnerEvent, everyReason, everyKind];

const catalogues: Record<string, Record<string, string>> = { 'en-US': enUS, 'zh-CN': zhCN };

describe('approval messages (en-US, zh-CN)', () => {
  for (const [locale, catalogue] of Object.entries(catalogues)) {
    it(`${locale} has every message the approval cards build from names`, () => {
      const built = [
        ...LEVEL_STATUSES.map((s) => `approval.level.${s}`),
        ...DECISIONS.map((d) => `approval.decision.${d}`),
        ...ROUND_STATUSES.map((s) => `approval.status.${s}`),
        ...EVENTS.map((e) => `approval.event.${e}`),
        ...OWNER_EVENTS.map((e) => `approval.owner.${e}`),
        ...ASK_REASONS.map((r) => `approval.ask.${r}`),
        ...REASON_KINDS.map((k) => `approval.reason.${k}`),
        ...['discountPct', 'nonStandardTerms', 'approval'].map((f) => `field.${f}`),
        'gate.approvalNeeded', 'gate.approvalPending',
        ...['approve', 'reject', 'requestChanges', 'auditTrail', 'resubmit', 'refresh', 'requestApproval', 'openDeal'].map((b) => `button.${b}`),
        'approval.anyOf', 'approval.allOf', 'approval.owner.heading', 'approval.decidedNotice', 'approvers.channelSet', 'approvers.channelUnset', 'approvers.none',
      ];
      assert.deepEqual(built.filter((key) => !(key in catalogue)), []);
    });
  }

  describe('every approval refusal the domain throws reads as a whole sentence (no {placeholder} left)', () => {
    const policy = staffedPolicy();
    const approved = approvedAfterResubmission();
    const director = decide(requestedDeal(), ADELE, 'approved', '', hoursLater(1), TIMING);
    const isaiah = decide(director, ISAIAH, 'approved', '', hoursLater(2), TIMING);
    const ask = (deal = complexDeal(), p = policy, note = '') => () => requestApproval(deal, p, ALEX, note, hoursLater(0), TIMING, { confirmToOwner: false });
    const thrown: Array<[string, () => unknown]> = [
      ['APPROVAL.NOT_NEEDED', ask(aDeal({ value: '10k', serviceLines: 'Consulting' }))],
      ['APPROVAL.PENDING', ask(requestedDeal())],
      ['APPROVAL.ALREADY_APPROVED', ask(approved)],
      ['APPROVAL.NO_APPROVERS', ask(complexDeal(), staffedPolicy({ director: { approvers: [] } }))],
      ['APPROVAL.NONE', () => decide(complexDeal(), ADELE, 'approved', '', hoursLater(1), TIMING)],
      ['APPROVAL.ROUND_OVER', () => decide(requestedDeal(), ADELE, 'approved', '', hoursLater(1), TIMING, 7)],
      ['APPROVAL.FINISHED', () => decide(approved, ADELE, 'approved', '', hoursLater(1), TIMING)],
      ['APPROVAL.LEVEL_DONE', () => decide(director, ISAIAH, 'approved', '', hoursLater(2), TIMING, 1, 'manager')],
      ['APPROVAL.OWN_REQUEST', () => decide(requestedDeal(), ALEX, 'approved', '', hoursLater(1), TIMING)],
      ['APPROVAL.NOT_APPROVER', () => decide(requestedDeal(), PATTI, 'approved', '', hoursLater(1), TIMING)],
      ['APPROVAL.ALREADY_DECIDED', () => decide(isaiah, ISAIAH, 'approved', '', hoursLater(3), TIMING)],
      ['APPROVAL.COMMENT_REQUIRED', () => decide(requestedDeal(), ADELE, 'rejected', ' ', hoursLater(1), TIMING)],
      ['APPROVAL.COMMENT_TOO_LONG', () => decide(requestedDeal(), ADELE, 'rejected', 'x'.repeat(501), hoursLater(1), TIMING)],
      ['APPROVAL.COMMENT_TOO_LONG', ask(complexDeal(), policy, 'x'.repeat(501))],
      ['DEAL.CLOSED', ask(complexDeal({ stage: 'Close', outcome: 'Won' }))],
    ];
    for (const [code, act] of thrown) {
      for (const locale of LOCALES) {
        it(`${code} (${locale})`, () => {
          const error: DomainError = domainErrorOf(act);
          assert.equal(error.code, code);
          const turn: Turn = { actor: { tenantId: 't', user: ALEX }, locale, t: translator(locale), place: { conversationId: 'a:1', type: 'personal' } };
          const text = errorText(turn, error);
          assert.doesNotMatch(text, /\{\w+\}/, text);
          assert.notEqual(text, `error.${code}`);
        });
      }
    }

    it('(the sweep refuses nothing: it only ever returns a deal)', () => {
      assert.doesNotThrow(() => applyApprovalTimers(complexDeal(), hoursLater(1), DEALDESK));
    });
  });
});
