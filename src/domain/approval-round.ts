import type { ApprovalPolicy } from './approval-policy';
import type { ApprovalRound, ApprovalTiming, AuditEntry, Decision, LevelState, Notice } from './approval';
import { approvalCovers, approvalTermsOf } from './approval-rule';
import { type Deal, isOpen } from './deal';
import { cleanText } from './deal-fields';
import { DomainError } from './errors';
import { evaluatePolicy } from './evaluate-policy';
import type { Person } from './person';

export const COMMENT_MAX = 500;

/** A notice before it gets its id (Omit distributed over the union). */
type NoticeDraft = Notice extends infer N ? (N extends Notice ? Omit<N, 'id'> : never) : never;

const plus = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString();

function activate(level: LevelState, at: string, timing: ApprovalTiming): LevelState {
  return { ...level, status: 'active', startedAt: at, remindAt: plus(at, timing.remindAfterMs), escalateAt: plus(at, timing.escalateAfterMs) };
}

/** The earliest reminder or escalation still to come in the active level, for the sweep to find. */
function dueAtOf(round: ApprovalRound): string | undefined {
  const active = round.status === 'pending' ? round.levels.find((l) => l.status === 'active') : undefined;
  if (!active) return undefined;
  const times = [active.remindedAt ? undefined : active.remindAt, active.escalatedAt ? undefined : active.escalateAt].filter((t): t is string => !!t);
  return times.sort()[0];
}

/**
 * Writes a round back onto the deal with its audit entries and notices, all in the one write to come. A notice's
 * id counts the whole trail, archived entries included, so it never repeats (deliveries are keyed by it).
 */
function withRound(deal: Deal, round: ApprovalRound, trail: Omit<AuditEntry, 'round'>[], notices: NoticeDraft[]): Deal {
  const base = deal.archived.approvalTrail + deal.approvalTrail.length;
  return {
    ...deal,
    approval: round,
    approvalTrail: [...deal.approvalTrail, ...trail.map((e) => ({ ...e, round: round.round }))],
    notices: [...deal.notices, ...notices.map((n, i) => ({ ...n, id: `R${round.round}.${base}.${i}` }) as Notice)],
    approvalDueAt: dueAtOf(round),
  };
}

/**
 * Starts an approval round for a complex deal, or a new round after a rejection, a request for changes, or
 * an approval of other terms (same card thread). The policy is evaluated here, on the deal as it is; the
 * first level becomes active, its approvers are asked, and the channel card posted.
 */
export function requestApproval(
  deal: Deal,
  policy: ApprovalPolicy,
  requester: Person,
  noteText: string,
  at: string,
  timing: ApprovalTiming,
  options: { confirmToOwner: boolean },
): Deal {
  if (!isOpen(deal)) throw new DomainError('DEAL.CLOSED', { id: deal.id });
  const evaluation = evaluatePolicy(deal, policy);
  if (!evaluation.complex) throw new DomainError('APPROVAL.NOT_NEEDED', { id: deal.id });
  if (deal.approval?.status === 'pending') throw new DomainError('APPROVAL.PENDING', { id: deal.id });
  if (approvalCovers(deal, evaluation)) throw new DomainError('APPROVAL.ALREADY_APPROVED', { id: deal.id });
  const note = cleanText(noteText);
  if (note.length > COMMENT_MAX) throw new DomainError('APPROVAL.COMMENT_TOO_LONG', { max: COMMENT_MAX });
  const configs = policy.levels.filter((l) => evaluation.levelIds.includes(l.id));
  const unstaffed = configs.find((l) => l.approvers.length === 0);
  if (unstaffed) throw new DomainError('APPROVAL.NO_APPROVERS', { level: unstaffed.name });
  const levels: LevelState[] = configs.map((c, i) => ({
    id: c.id,
    name: c.name,
    mode: c.mode,
    approvers: c.approvers,
    // Escalation goes to the configured contacts, else to the next level's approvers.
    escalateTo: c.escalateTo.length > 0 ? c.escalateTo : (configs[i + 1]?.approvers ?? []),
    status: 'waiting',
    decisions: [],
  }));
  levels[0] = activate(levels[0], at, timing);
  // The round records the terms it is for: only a deal with exactly these terms is covered by its approval.
  const round: ApprovalRound = { round: (deal.approval?.round ?? 0) + 1, status: 'pending', requestedBy: requester, note, requestedAt: at, reasons: evaluation.reasons, levels, terms: approvalTermsOf(deal) };
  const event = round.round === 1 ? 'requested' : 'resubmitted';
  return withRound(deal, round, [{ at, by: requester, event, ...(note ? { comment: note } : {}) }], [
    { kind: 'approvalCard', round: round.round },
    { kind: 'toApprovers', round: round.round, levelId: levels[0].id, to: levels[0].approvers, reason: 'requested' },
    ...(options.confirmToOwner ? [{ kind: 'toOwner' as const, round: round.round, to: deal.owner, event: 'requested' as const }] : []),
  ]);
}

/**
 * Records one approver's decision on the active level. Approve completes an "any" level at once and an
 * "all" level with its last approver, then starts the next level or approves the round; Reject and
 * Request changes end the round. Everything is checked here, from the actor, never from card data.
 */
export function decide(deal: Deal, actor: Person, decision: Decision, commentText: string, at: string, timing: ApprovalTiming, roundSeen?: number, levelSeen?: string): Deal {
  const round = deal.approval;
  if (!round) throw new DomainError('APPROVAL.NONE', { id: deal.id });
  if (!isOpen(deal)) throw new DomainError('DEAL.CLOSED', { id: deal.id });
  if (roundSeen !== undefined && roundSeen !== round.round) throw new DomainError('APPROVAL.ROUND_OVER', { id: deal.id, round: roundSeen });
  if (round.status !== 'pending') throw new DomainError('APPROVAL.FINISHED', { id: deal.id, status: round.status });
  const index = round.levels.findIndex((l) => l.status === 'active');
  const level = round.levels[index];
  // The card showed a level that has been decided since (e.g. another approver of an "any" level was first).
  if (levelSeen !== undefined && levelSeen !== level.id) throw new DomainError('APPROVAL.LEVEL_DONE', { id: deal.id });
  if (actor.id === round.requestedBy.id) throw new DomainError('APPROVAL.OWN_REQUEST', { id: deal.id });
  // A deal reassigned while its approval is under way: its new owner did not ask, but decides on their own deal no more.
  if (actor.id === deal.owner.id) throw new DomainError('APPROVAL.OWN_DEAL', { id: deal.id });
  if (!level.approvers.some((p) => p.id === actor.id)) throw new DomainError('APPROVAL.NOT_APPROVER', { id: deal.id, level: level.name });
  const earlier = level.decisions.find((d) => d.by.id === actor.id);
  if (earlier) throw new DomainError('APPROVAL.ALREADY_DECIDED', { id: deal.id, decision: earlier.decision });
  const comment = cleanText(commentText);
  if (comment.length > COMMENT_MAX) throw new DomainError('APPROVAL.COMMENT_TOO_LONG', { max: COMMENT_MAX });
  if (decision !== 'approved' && !comment) throw new DomainError('APPROVAL.COMMENT_REQUIRED', { id: deal.id });

  const decisions = [...level.decisions, { by: actor, decision, comment, at }];
  const trail: Omit<AuditEntry, 'round'>[] = [{ at, by: actor, event: 'decided', levelId: level.id, levelName: level.name, decision, ...(comment ? { comment } : {}) }];
  const card = { kind: 'approvalCard' as const, round: round.round };
  const toOwner = (event: 'levelApproved' | Decision) => ({ kind: 'toOwner' as const, round: round.round, to: deal.owner, event });
  const levels = [...round.levels];

  if (decision !== 'approved') {
    levels[index] = { ...level, decisions, status: decision };
    trail.push({ at, by: actor, event: decision, levelId: level.id, levelName: level.name, ...(comment ? { comment } : {}) });
    return withRound(deal, { ...round, status: decision, levels }, trail, [card, toOwner(decision)]);
  }
  const levelDone = level.mode === 'any' || level.approvers.every((p) => decisions.some((d) => d.by.id === p.id && d.decision === 'approved'));
  levels[index] = { ...level, decisions, status: levelDone ? 'approved' : 'active' };
  if (!levelDone) return withRound(deal, { ...round, levels }, trail, [card]);
  const next = levels[index + 1];
  if (!next) {
    trail.push({ at, by: actor, event: 'approved' });
    return withRound(deal, { ...round, status: 'approved', levels }, trail, [card, toOwner('approved')]);
  }
  levels[index + 1] = activate(next, at, timing);
  trail.push({ at, by: actor, event: 'levelStarted', levelId: next.id, levelName: next.name });
  return withRound(deal, { ...round, levels }, trail, [
    card,
    toOwner('levelApproved'),
    { kind: 'toApprovers', round: round.round, levelId: next.id, to: next.approvers, reason: 'requested' },
  ]);
}

/**
 * Pending too long: reminds the active level's approvers who have not decided (after APPROVAL_REMIND_AFTER)
 * and tells the escalation contacts (after APPROVAL_ESCALATE_AFTER). Each happens once: it is recorded
 * in the same write as its notice, and a second sweep finds nothing due.
 */
export function applyApprovalTimers(deal: Deal, now: string, system: Person): Deal {
  const round = deal.approval;
  // A finished round, or a deal closed meanwhile, has nothing left to remind anyone of.
  if (!round || round.status !== 'pending' || !isOpen(deal)) return deal.approvalDueAt ? { ...deal, approvalDueAt: undefined } : deal;
  const index = round.levels.findIndex((l) => l.status === 'active');
  let level = round.levels[index];
  const trail: Omit<AuditEntry, 'round'>[] = [];
  const notices: NoticeDraft[] = [];
  const undecided = level.approvers.filter((p) => !level.decisions.some((d) => d.by.id === p.id));
  if (level.remindAt && !level.remindedAt && level.remindAt <= now) {
    level = { ...level, remindedAt: now };
    trail.push({ at: now, by: system, event: 'reminded', levelId: level.id, levelName: level.name });
    notices.push({ kind: 'toApprovers', round: round.round, levelId: level.id, to: undecided, reason: 'reminder' });
  }
  if (level.escalateAt && !level.escalatedAt && level.escalateAt <= now) {
    level = { ...level, escalatedAt: now };
    trail.push({ at: now, by: system, event: 'escalated', levelId: level.id, levelName: level.name });
    if (level.escalateTo.length > 0) notices.push({ kind: 'toApprovers', round: round.round, levelId: level.id, to: level.escalateTo, reason: 'escalation' });
  }
  if (trail.length === 0) return deal;
  const levels = [...round.levels];
  levels[index] = level;
  return withRound(deal, { ...round, levels }, trail, notices);
}

/** The active level of a pending round. */
export const activeLevel = (deal: Deal): LevelState | undefined =>
  deal.approval?.status === 'pending' ? deal.approval.levels.find((l) => l.status === 'active') : undefined;
