/**
 * A deal with every list and text that grows over its life at its bound (issue 14, item 7; docs/data-limits.md),
 * built through the domain's own functions wherever they reach the bound, so it is a deal DealDesk could store.
 * `char` is the character every free text is made of: a CJK one (3 bytes of UTF-8 each, the most a real
 * character costs) or a lone surrogate (escaped as \uD83D by JSON: 6 bytes, the most any UTF-16 unit costs).
 */
import { NOTE_MAX } from '../../src/app/log-on-deal';
import { APPROVERS_MAX } from '../../src/app/approval-settings';
import type { AlertChange } from '../../src/domain/alert';
import { ALERT_ACTORS_MAX, ALERT_LOG_MAX, OUTBOX_MAX } from '../../src/domain/alert-outbox';
import type { AuditEntry, Notice } from '../../src/domain/approval';
import type { ApprovalPolicy } from '../../src/domain/approval-policy';
import { COMMENT_MAX as APPROVAL_COMMENT_MAX, decide, requestApproval } from '../../src/domain/approval-round';
import { COMMENT_MAX as CSAT_COMMENT_MAX, CSAT_AD_HOC_MAX, NEXT_STEP_MAX as RECOVERY_MAX, planRecovery, recordCsat } from '../../src/domain/csat';
import { type Deal, withChanges } from '../../src/domain/deal';
import { archiveOldest, MOST_IN_DEAL } from '../../src/domain/deal-archive';
import { newDeal } from '../../src/domain/deal-draft';
import { ACCOUNT_MAX, NEXT_STEP_MAX, REASON_MAX, TITLE_MAX } from '../../src/domain/deal-fields';
import { addTeamMember, ROLE_MAX, TEAM_MAX } from '../../src/domain/deal-team';
import { MILESTONE_NAME_MAX, MILESTONES_MAX, recordMilestone, savePlan } from '../../src/domain/delivery-plan-rules';
import { DEFAULT_APPROVAL_POLICY } from '../../src/domain/default-approval-policy';
import { EVIDENCE_KEYS, EVIDENCE_MAX_LENGTH } from '../../src/domain/evidence';
import { movedDeal } from '../../src/domain/move-deal';
import type { Person } from '../../src/domain/person';
import { setDealField } from '../../src/domain/set-deal-field';
import { NOTICES_WAITING_MAX_BYTES } from '../../src/domain/waiting-notices';
import { APPLIED_EVENTS_KEPT, EVENT_ID_MAX } from '../../src/app/apply-crm-change';
import { CRM_LOG_MAX, CRM_OUTBOX_MAX, CRM_REASON_MAX, recordCrmEvent } from '../../src/domain/crm-outbox';

/** Ids as long as the edge lets them be (Teams ids are cut to 100; a CRM actor, `external:<e-mail>`, has no Teams id and a shorter name). */
const ID_MAX = 100;
const NAME_MAX = 120;
const TIMING = { remindAfterMs: 86_400_000, escalateAfterMs: 2 * 86_400_000 };
const at = (minutes: number) => new Date(Date.parse('2026-11-02T09:00:00.000Z') + minutes * 60_000).toISOString();

export function dealAtCaps(char: string): Deal {
  const text = (length: number, tag = '') => (tag + char.repeat(length)).slice(0, length);
  let serial = 0;
  /** A person as large as one gets, each one different. */
  const person = (): Person => {
    serial++;
    return { id: `${serial}-`.padEnd(ID_MAX, 'x'), name: text(NAME_MAX, `${serial}`), userId: `29:${serial}-`.padEnd(100, 'y') };
  };
  const owner = person();
  let minute = 0;
  const now = () => at(++minute);
  /** As the store keeps it after every write: archived beyond the window. */
  const kept = (deal: Deal) => archiveOldest(deal).deal;

  let deal = newDeal(
    { account: text(ACCOUNT_MAX), title: text(TITLE_MAX), serviceLines: 'Enterprise Strategy, Consulting, Premier Support', value: '9m', currency: 'USD', closeDate: '2027-03-31', probability: '60', nextStep: text(NEXT_STEP_MAX) },
    { number: 999_999_999, tenantId: text(100), owner, now: now() },
  );
  for (let i = 0; i < TEAM_MAX; i++) deal = kept(addTeamMember(deal, { person: person(), role: text(ROLE_MAX, `${i}`) }, owner, now()));
  for (const key of EVIDENCE_KEYS) deal = kept(setDealField(deal, key, text(EVIDENCE_MAX_LENGTH, key), owner, now()));
  deal = kept(setDealField(deal, 'nonStandardTerms', text(EVIDENCE_MAX_LENGTH, 'terms'), owner, now()));
  deal = kept(setDealField(deal, 'discountPct', '40', owner, now()));

  // An approval round at its largest: every level needs all of its APPROVERS_MAX approvers, the last level is
  // one decision short, every decision carries the longest comment.
  const staff = (mode: 'all') => ({ approvers: Array.from({ length: APPROVERS_MAX }, person), mode, escalateTo: Array.from({ length: APPROVERS_MAX }, person) });
  const policy: ApprovalPolicy = { ...structuredClone(DEFAULT_APPROVAL_POLICY), levels: DEFAULT_APPROVAL_POLICY.levels.map((l) => ({ ...structuredClone(l), ...staff('all') })) } as ApprovalPolicy;
  deal = kept(requestApproval(deal, policy, owner, text(APPROVAL_COMMENT_MAX), now(), TIMING, { confirmToOwner: true }));
  policy.levels.forEach((level, i) => {
    const deciders = i === policy.levels.length - 1 ? level.approvers.slice(0, -1) : level.approvers;
    for (const approver of deciders) deal = kept({ ...decide(deal, approver, 'approved', text(APPROVAL_COMMENT_MAX), now(), TIMING), notices: [] });
  });

  // Won, with the longest reason, and a delivery plan of MILESTONES_MAX milestones, all done (a follow-up each).
  deal = kept(movedDeal(deal, { stage: 'Close', outcome: 'Won' }, { finalValue: '9m', note: text(REASON_MAX) }, owner, now()));
  const lines = Array.from({ length: MILESTONES_MAX }, (_, i) => `${text(MILESTONE_NAME_MAX, `M${i}`).replace(/\|/g, '')} | 2027-0${1 + (i % 9)}-1${i % 10}`).join('\n');
  deal = kept(savePlan(deal, { kickoff: '2026-12-01', plannedEnd: '2027-12-01', milestones: lines }, owner, now()));
  for (const m of deal.delivery!.milestones) deal = kept(recordMilestone(deal, m.name, { kind: 'done' }, owner, now()));

  // Every follow-up answered, and CSAT_AD_HOC_MAX scores besides: all low, each with the longest comment and a recovery plan.
  const manager = person();
  const scores = [...deal.delivery!.followUps.map((f) => f.id), ...Array.from({ length: CSAT_AD_HOC_MAX }, () => undefined)];
  for (const followUpId of scores) {
    deal = kept({ ...recordCsat(deal, { followUpId, score: '1', conditionsMet: 'no', comment: text(CSAT_COMMENT_MAX) }, manager, owner, now()), notices: [] });
    deal = kept(planRecovery(deal, deal.csat.at(-1)!.id, text(RECOVERY_MAX), person(), owner, now()));
  }

  // Alerts: the log and the outbox full, every alert naming ALERT_ACTORS_MAX people and every kind of change.
  const changes: AlertChange[] = [
    { kind: 'stage', from: 'Proof', to: 'Close', fromOutcome: 'Lost', toOutcome: 'Won' },
    { kind: 'value', from: { amount: 123_456_789.12, currency: 'USD' }, to: { amount: 987_654_321.98, currency: 'USD' } },
    { kind: 'closeDate', from: '2027-03-31', to: '2027-12-31' },
  ];
  const actors = Array.from({ length: ALERT_ACTORS_MAX }, person);
  deal.alertLog = Array.from({ length: ALERT_LOG_MAX }, (_, i) => ({ id: `${deal.id}.A${i + 1}`, changes, actors, at: now(), recipients: 999_999 }));
  deal.outbox = Array.from({ length: OUTBOX_MAX }, (_, i) => ({ id: `${deal.id}.A${ALERT_LOG_MAX + i + 1}`, base: { stage: 'Proof', outcome: 'Lost', value: changes[1].kind === 'value' ? changes[1].from : deal.value, closeDate: '2027-03-31' }, changes, actors, firstAt: now(), dueAt: now() }));
  deal.alertSeq = ALERT_LOG_MAX + OUTBOX_MAX;
  deal.outboxDueAt = deal.outbox[0].dueAt;
  // The CRM outbox full (its CRM not answering), each event folding notes of NOTE_MAX up to its byte bound, and a full log.
  for (let i = 0; i < CRM_OUTBOX_MAX + 30; i++) {
    const before = deal;
    deal = recordCrmEvent(before, withChanges(before, person(), now(), [{ kind: 'note', text: text(NOTE_MAX) }], {}), person(), now());
    deal = { ...deal, history: before.history };
  }
  deal.crmOutbox = deal.crmOutbox.map((e) => ({ ...e, state: 'retrying', attempts: 7, lastError: text(CRM_REASON_MAX) }));
  deal.crmLog = Array.from({ length: CRM_LOG_MAX }, (_, i) => ({ eventId: `${deal.id}.S${i + 1}`, sequence: i + 1, state: 'failed', attempts: 8, reason: text(CRM_REASON_MAX), at: now(), kinds: ['created', 'stage', 'field', 'team', 'note', 'owner', 'approval', 'csat'] }));
  deal.crmLink = { recordId: '00000000-0000-0000-0000-000000000000', etag: 'W/"18446744073709551615"' };
  deal.crmLease = { holder: text(ID_MAX), until: now() };
  deal.appliedEvents = Array.from({ length: APPLIED_EVENTS_KEPT }, (_, i) => text(EVENT_ID_MAX, `e${i}`));
  deal.nudge = { lastAt: now(), snoozedUntil: now() };

  // Messages waiting while delivery is stuck: low-CSAT notices (to the manager and the whole team) up to the budget, plus one change's worth.
  const lowCsatTo = [manager, ...deal.team.map((m) => m.person)];
  const notices: Notice[] = [];
  while (new TextEncoder().encode(JSON.stringify(notices)).length <= NOTICES_WAITING_MAX_BYTES) notices.push({ id: `lowCsat.C${notices.length + 100}`, kind: 'lowCsat', csatId: `C${notices.length + 100}`, to: lowCsatTo });
  deal.notices = [...notices, { id: 'lowCsat.C999', kind: 'lowCsat', csatId: 'C999', to: lowCsatTo }];

  // The audit trail's window full of its largest entries (decisions with the longest comment)…
  const trail: AuditEntry[] = Array.from({ length: MOST_IN_DEAL }, () => ({ at: now(), by: person(), round: 999, event: 'decided', levelId: 'dealDesk', levelName: 'Deal desk', decision: 'changesRequested', comment: text(APPROVAL_COMMENT_MAX) }));
  deal = { ...deal, approvalTrail: trail };
  // …and history's: notes of NOTE_MAX until the deal holds MOST_IN_DEAL entries, the most it keeps.
  do deal = kept(withChanges(deal, person(), now(), [{ kind: 'note', text: text(NOTE_MAX) }], {}));
  while (deal.history.length < MOST_IN_DEAL || deal.history.some((h) => h.change.kind !== 'note'));
  return deal;
}
