import { type RequestApprovalOptions, requestApproval } from '../app/request-approval';
import { assertAdmin, setApprovalsChannel, setApprovers } from '../app/approval-settings';
import { decideApproval } from '../app/decide-approval';
import { findPerson } from '../app/find-person';
import { getDeal } from '../app/find-deal';
import { approvalCard } from '../cards/approval-card';
import { activeLevel } from '../domain/approval-round';
import { approvalTrailCard } from '../cards/approval-trail-card';
import { approversCard } from '../cards/approvers-card';
import { fieldLabel } from '../cards/labels';
import { choosePersonCard } from '../cards/choose-deal-card';
import type { Decision } from '../domain/approval';
import { DomainError, isDomainError } from '../domain/errors';
import { EVIDENCE_KEYS } from '../domain/evidence';
import type { MessageKey } from '../i18n/locale';
import type { PersonRecord } from '../ports/people-repository.port';
import type { Command } from './command';
import { withDeal } from './deal-replies';
import { errorText } from './error-reply';
import { cardReply, directoryNoteText, textReply, withNote, type Reply, type Turn } from './reply';
import type { ChatDeps } from './chat-deps';

type ApprovalCommand = Extract<Command, { name: 'approvalsHere' | 'approvers' | 'setApprovers' | 'requestApproval' | 'approvalTrail' }>;

async function approversReply(turn: Turn, deps: ChatDeps, notice = ''): Promise<Reply> {
  const { policy } = await deps.store.settings.getPolicy(turn.actor.tenantId);
  const channel = await deps.store.settings.getApprovalsChannel(turn.actor.tenantId);
  return cardReply(approversCard(turn.t, turn.locale, policy, !!channel, notice));
}

/** Resolves every person named; the first ambiguous one is answered with a choice that re-runs the command. */
async function resolvePeople(turn: Turn, deps: ChatDeps, command: Extract<Command, { name: 'setApprovers' }>): Promise<{ people: PersonRecord[]; note: string } | Reply> {
  const people: PersonRecord[] = [];
  let note = '';
  for (const [i, query] of command.people.entries()) {
    const byId = /^id:(.+)$/.exec(query);
    const known = byId ? await deps.store.people.get(turn.actor.tenantId, byId[1]) : undefined;
    if (known) {
      people.push(known);
      continue;
    }
    const found = await findPerson(deps, turn.actor, query);
    note ||= directoryNoteText(turn.t, found.note);
    if (found.kind === 'found') people.push(found.person);
    else {
      const rerun = (ref: string): Command => ({ ...command, people: command.people.map((p, j) => (j === i ? ref : p)) });
      return withNote(cardReply(choosePersonCard(turn.t, found.query, found.matches, rerun)), note);
    }
  }
  return { people, note };
}

/** Approvals: the approvals channel, approvers, requesting approval and the audit trail. */
export async function runApprovalCommand(turn: Turn, deps: ChatDeps, command: ApprovalCommand): Promise<Reply> {
  const { t, actor } = turn;
  switch (command.name) {
    case 'approvalsHere':
      await setApprovalsChannel(deps, actor, turn.place);
      return approversReply(turn, deps, t('approvers.channelNowHere'));
    case 'approvers':
      return approversReply(turn, deps);
    case 'setApprovers': {
      await assertAdmin(deps, actor); // before looking anyone up: a refusal must not depend on the names given
      const resolved = await resolvePeople(turn, deps, command);
      if (!('people' in resolved)) return resolved;
      await setApprovers(deps, actor, command.level, resolved.people, command.mode);
      return withNote(await approversReply(turn, deps, t('approvers.updated')), resolved.note);
    }
    case 'requestApproval':
      return withDeal(turn, deps, command.ref, (id) => ({ ...command, ref: id }), async ({ deal }) => requestApprovalReply(turn, deps, deal.id, command.note));
    case 'approvalTrail':
      return withDeal(turn, deps, command.ref, (id) => ({ ...command, ref: id }), async ({ deal }) => cardReply(approvalTrailCard(t, turn.locale, deal)));
  }
}

/** What the Close won gate card sends with its Request approval: the final value, the evidence typed, the revision seen. */
export type GateRequest = Pick<RequestApprovalOptions, 'value' | 'evidence' | 'seenRev'>;

/**
 * Asks for approval (at `value`, when given: the close form's final value, with the evidence typed there) and
 * answers with the approval card, saying which of the typed evidence is saved on the deal.
 */
export async function requestApprovalReply(turn: Turn, deps: ChatDeps, dealId: string, note: string, request: GateRequest = {}): Promise<Reply> {
  const deal = await requestApproval(deps, turn.actor, dealId, note, { inOwnChat: turn.place.type === 'personal', ...request });
  const typed = (key: string) => String(request.evidence?.[key] ?? '').trim() !== '';
  const saved = EVIDENCE_KEYS.filter((key) => typed(key) && deal.evidence[key] !== undefined);
  const notice = turn.t('approval.requestedNotice') + (saved.length ? ` ${turn.t('gate.saved', { items: saved.map((i) => fieldLabel(turn.t, i)).join(', ') })}` : '');
  return cardReply(approvalCard(turn.t, turn.locale, deal, notice));
}

const DECISION_OF: Record<string, Decision> = { approved: 'approved', rejected: 'rejected', changesRequested: 'changesRequested' };

/**
 * A press of Approve / Reject / Request changes. Card data only says which deal, round and level the card
 * showed (to recognise a stale card); who may decide is decided from the actor. The presser always gets the
 * approval card as it now stands, with what happened.
 */
export async function decideFromCard(turn: Turn, deps: ChatDeps, data: { dealId: string; round?: number; levelId?: string; decision: string; comment: string }): Promise<Reply> {
  const decision = DECISION_OF[data.decision];
  if (!decision) throw new DomainError('REQUEST.INVALID');
  try {
    const deal = await decideApproval(deps, turn.actor, data.dealId, decision, data.comment, { round: data.round, levelId: data.levelId });
    return cardReply(approvalCard(turn.t, turn.locale, deal, turn.t('approval.decidedNotice', { decision: turn.t(`approval.decision.${decision}` as MessageKey) })));
  } catch (e) {
    if (!isDomainError(e) || !e.code.startsWith('APPROVAL.')) throw e;
    const { deal } = await getDeal(deps, turn.actor, data.dealId);
    if (!deal.approval) return textReply(errorText(turn, e));
    // Shown on the card, so the presser sees both why nothing changed and where things stand.
    return cardReply(approvalCard(turn.t, turn.locale, deal, errorText(turn, withDecisionWord(turn, e)), 'warning'));
  }
}

const withDecisionWord = (turn: Turn, e: DomainError) =>
  typeof e.params.decision === 'string' ? new DomainError(e.code, { ...e.params, decision: turn.t(`approval.decision.${e.params.decision}` as MessageKey) }) : e;

/** The card an approver's client fetches for its own view (refresh), or anyone's "show me". */
export async function approvalView(turn: Turn, deps: ChatDeps, dealId: string): Promise<Reply> {
  const { deal } = await getDeal(deps, turn.actor, dealId);
  if (!deal.approval) return textReply(turn.t('error.APPROVAL.NONE', { id: deal.id }));
  // The approvers' own view says their decision is needed; everyone else sees the base card.
  const level = activeLevel(deal);
  const mine = level?.approvers.some((p) => p.id === turn.actor.user.id) && !level.decisions.some((d) => d.by.id === turn.actor.user.id);
  return cardReply(approvalCard(turn.t, turn.locale, deal, mine ? turn.t('approval.ask.requested', { level: level!.name }) : ''));
}
