import type { ApprovalPolicy } from '../domain/approval-policy';
import type { CrmLink } from '../domain/crm-link';
import { parseCalendarDate } from '../domain/calendar-date';
import { type Deal, type DealField, isOpen } from '../domain/deal';
import { cleanText, parseAccount, parseProbability, parseTitle } from '../domain/deal-fields';
import { DomainError, type ErrorCode, type ErrorParams, isDomainError } from '../domain/errors';
import { EVIDENCE_KEYS, type EvidenceKey } from '../domain/evidence';
import { parseAmount, parseCurrency } from '../domain/money';
import { movedDeal } from '../domain/move-deal';
import type { Person } from '../domain/person';
import { setDealField } from '../domain/set-deal-field';
import { type MoveTarget, parseMoveTarget } from '../domain/stage';
import { changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';
import { shorten } from '../domain/shorten-text';
import { recordConflicts } from '../domain/crm-outbox';
import type { FieldConflict } from '../ports/crm-target.port';
import type { StoredDeal } from '../ports/deal-repository.port';

/** How many applied event ids a deal remembers (newest last); a repeat older than that would apply again. */
export const APPLIED_EVENTS_KEPT = 200;
export const EVENT_ID_MAX = 128;
export const ACTOR_NAME_MAX = 100;
export const ACTOR_EMAIL_MAX = 254;

/** Who made the change in the CRM, as the CRM says (the webhook's signature vouches for it). */
export interface CrmActor {
  name?: unknown;
  email?: unknown;
}

/**
 * The change as the CRM sends it, any subset: stage, value, currency, closeDate, probability, nextStep,
 * title, evidence { bdm, tdm, budget, solutionOutline, proposalRef }, note. Validated here, not trusted.
 */
export type CrmChanges = Readonly<Record<string, unknown>>;

export interface CrmChangeInput {
  tenantId: string;
  dealId: string;
  eventId: unknown;
  changes: unknown;
  actor: unknown;
  /**
   * Fields both sides changed, as the caller's field rules resolved them (the Dataverse poller): recorded in the same
   * write as `conflict` history entries with both values. The values already in `changes` are the ones kept.
   */
  conflicts?: readonly FieldConflict[];
  /** The CRM record's link as of this change (the Dataverse poller: the record's new version), kept on the deal by the same write. */
  link?: CrmLink;
  /** The deal as the caller already read it (the poller found it by its record): the first attempt starts from it. */
  read?: StoredDeal;
}

export interface CrmChangeResult {
  applied: boolean;
  duplicate?: boolean;
  deal: Deal;
}

/** Plain fields, in the order they are applied. */
const FIELDS = ['value', 'currency', 'closeDate', 'probability', 'nextStep', 'title', 'account'] as const satisfies readonly DealField[];
type PlainField = (typeof FIELDS)[number];
const KNOWN_KEYS: readonly string[] = [...FIELDS, 'stage', 'evidence', 'note'];

/** The code a wrongly typed value gets: the same one the domain uses for a bad value of that field. */
const TYPE_ERROR: Record<PlainField | 'stage' | 'note' | 'evidence', ErrorCode> = {
  value: 'DEAL.VALUE_INVALID',
  currency: 'DEAL.CURRENCY_INVALID',
  closeDate: 'DEAL.CLOSE_DATE_INVALID',
  probability: 'DEAL.PROBABILITY_INVALID',
  nextStep: 'DEAL.NEXT_STEP_INVALID',
  title: 'DEAL.TITLE_INVALID',
  account: 'DEAL.ACCOUNT_INVALID',
  stage: 'DEAL.STAGE_UNKNOWN',
  note: 'DEAL.REASON_REQUIRED',
  evidence: 'DEAL.EVIDENCE_INVALID',
};

/** A validated CRM change, before it meets the deal. */
interface CrmPlan {
  fields: Array<[PlainField, string]>;
  evidence: Partial<Record<EvidenceKey, string>>;
  target?: MoveTarget;
  note?: string;
  /** The value as sent: the final NWS value when the target is Won. */
  value?: string;
}

/** A Won close keeps the close date and next step the CRM sends with it (otherwise: the day it closed, the kickoff). */
const crmWonFields = (plan: CrmPlan) => {
  const sent = (name: string) => plan.fields.find(([field]) => field === name)?.[1];
  return { closeDate: sent('closeDate'), kickoff: sent('nextStep') };
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Adds the request field an error is about (`value`, `evidence.bdm`…), so the edge can name it. */
export function withField(error: DomainError, field: string): DomainError {
  return new DomainError(error.code, { ...error.params, field });
}

function annotated<T>(field: string | ((e: DomainError) => string), act: () => T): T {
  try {
    return act();
  } catch (e) {
    if (!isDomainError(e) || e.params.field !== undefined) throw e;
    throw withField(e, typeof field === 'string' ? field : field(e));
  }
}

const invalid = (field: string, code: ErrorCode, params: ErrorParams = {}) => new DomainError(code, { ...params, field });

/** Text a field may be given as: strings, and for amounts and percentages also finite numbers. */
function textOf(field: PlainField | 'stage' | 'note' | EvidenceKey, value: unknown, numbersOk: boolean): string {
  if (typeof value === 'string') return value;
  if (numbersOk && typeof value === 'number' && Number.isFinite(value)) return String(value);
  const code = (EVIDENCE_KEYS as readonly string[]).includes(field) ? 'DEAL.EVIDENCE_INVALID' : TYPE_ERROR[field as PlainField];
  const path = (EVIDENCE_KEYS as readonly string[]).includes(field) ? `evidence.${field}` : field;
  throw invalid(path, code, { value: shorten(JSON.stringify(value ?? null), 40), item: field });
}

/** Checks the shape of `changes` and the stage name; values are checked by the domain when applied. */
function planOf(changes: unknown, conflictsOnly: boolean): CrmPlan {
  if (!isPlainObject(changes)) throw invalid('changes', 'REQUEST.INVALID');
  const keys = Object.keys(changes);
  // No change at all is a mistake, unless the event only records fields both sides changed (the poller's conflicts).
  if (keys.length === 0 && !conflictsOnly) throw invalid('changes', 'REQUEST.INVALID');
  const unknown = keys.find((k) => !KNOWN_KEYS.includes(k));
  if (unknown !== undefined) throw new DomainError('DEAL.FIELD_UNKNOWN', { field: shorten(unknown, 40) });

  const plan: CrmPlan = { fields: [], evidence: {} };
  for (const field of FIELDS) {
    if (changes[field] === undefined) continue;
    const text = textOf(field, changes[field], field === 'value' || field === 'probability');
    plan.fields.push([field, text]);
    if (field === 'value') plan.value = text;
  }
  if (changes.evidence !== undefined) {
    if (!isPlainObject(changes.evidence)) throw invalid('evidence', 'DEAL.EVIDENCE_INVALID', { item: 'evidence' });
    for (const [key, value] of Object.entries(changes.evidence)) {
      if (!(EVIDENCE_KEYS as readonly string[]).includes(key)) throw new DomainError('DEAL.FIELD_UNKNOWN', { field: `evidence.${shorten(key, 40)}` });
      if (value === undefined) continue;
      plan.evidence[key as EvidenceKey] = textOf(key as EvidenceKey, value, true);
    }
  }
  if (changes.note !== undefined) plan.note = textOf('note', changes.note, false);
  if (changes.stage !== undefined) plan.target = annotated('stage', () => parseMoveTarget(textOf('stage', changes.stage, false)));
  return plan;
}

/** Checks the event id: the CRM's own id for this change, unique per deal. */
function eventIdOf(eventId: unknown): string {
  const text = typeof eventId === 'string' ? eventId.trim() : '';
  if (!text || text.length > EVENT_ID_MAX || cleanText(text) !== text) throw invalid('eventId', 'REQUEST.INVALID', { max: EVENT_ID_MAX });
  return text;
}

/** The CRM user as DealDesk's history records them: `external:<e-mail>` (or name), shown as "Name (CRM)". */
export function crmPerson(actor: unknown): Person {
  if (!isPlainObject(actor)) throw invalid('actor', 'REQUEST.INVALID');
  const { name, email } = actor as CrmActor;
  if ((name !== undefined && typeof name !== 'string') || (email !== undefined && typeof email !== 'string')) throw invalid('actor', 'REQUEST.INVALID');
  const cleanName = cleanText(name);
  const cleanEmail = cleanText(email).toLowerCase();
  if (cleanName.length > ACTOR_NAME_MAX) throw invalid('actor.name', 'REQUEST.INVALID', { max: ACTOR_NAME_MAX });
  if (cleanEmail && (cleanEmail.length > ACTOR_EMAIL_MAX || !/^[^\s@]+@[^\s@]+$/.test(cleanEmail))) throw invalid('actor.email', 'REQUEST.INVALID');
  if (!cleanName && !cleanEmail) throw invalid('actor', 'REQUEST.INVALID');
  return { id: `external:${cleanEmail || cleanName}`, name: `${cleanName || cleanEmail} (CRM)` };
}

const sameStage = (deal: Deal, target: MoveTarget): boolean =>
  deal.stage === target.stage && deal.outcome === (target.stage === 'Close' ? target.outcome : undefined);

/** On a closed deal, a CRM that resends an unchanged value (a full snapshot) is not refused for it. */
function sameAsCurrent(deal: Deal, field: PlainField, input: string): boolean {
  switch (field) {
    case 'value': return parseAmount(input) === deal.value.amount;
    case 'currency': return parseCurrency(input) === deal.value.currency;
    case 'closeDate': return parseCalendarDate(input) === deal.closeDate;
    case 'probability': return parseProbability(input) === deal.probability;
    case 'title': return parseTitle(input) === deal.title;
    case 'account': return parseAccount(input) === deal.account;
    default: return false;
  }
}

/** Which request field a move's refusal is about. */
function moveErrorField(e: DomainError): string {
  switch (e.code) {
    case 'DEAL.REASON_REQUIRED': case 'DEAL.REASON_TOO_LONG': return 'note';
    case 'DEAL.EVIDENCE_INVALID': return `evidence.${String(e.params.item)}`;
    case 'DEAL.VALUE_INVALID': return 'value';
    default: return 'stage';
  }
}

/** The whole CRM change applied to one deal, purely: fields, evidence, the move, and the event id. */
function applyPlan(deal: Deal, plan: CrmPlan, eventId: string, by: Person, at: string, policy: ApprovalPolicy | undefined): Deal {
  // A CRM may resend the stage the deal is at (a snapshot): that is no move, and passes no gate.
  const target = plan.target && !sameStage(deal, plan.target) ? plan.target : undefined;
  const closingWon = target?.stage === 'Close' && target.outcome === 'Won';

  const setFields = (d: Deal): Deal => {
    let next = d;
    for (const [field, input] of plan.fields) {
      // Closing Won takes the value as the final NWS value, through the move's own gate.
      if (field === 'value' && closingWon) continue;
      next = annotated(field, () => (!isOpen(next) && sameAsCurrent(next, field, input) ? next : setDealField(next, field, input, by, at)));
    }
    // Without a move, evidence is set like any field (empty items are ignored, as a move ignores them).
    if (!target) {
      for (const key of EVIDENCE_KEYS) {
        const input = plan.evidence[key];
        if (input !== undefined && cleanText(input)) next = annotated(`evidence.${key}`, () => setDealField(next, key, input, by, at));
      }
    }
    return next;
  };
  const move = (d: Deal): Deal =>
    target ? annotated(moveErrorField, () => movedDeal(d, target, { note: plan.note, evidence: plan.evidence, finalValue: closingWon ? plan.value : undefined, ...crmWonFields(plan), policy }, by, at)) : d;

  // Fields are set while the deal is open: reopening moves first, everything else moves last.
  const reopening = target !== undefined && !isOpen(deal) && target.stage !== 'Close';
  const changed = reopening ? setFields(move(deal)) : move(setFields(deal));
  return { ...changed, appliedEvents: [...(deal.appliedEvents ?? []), eventId].slice(-APPLIED_EVENTS_KEPT) };
}

/**
 * Applies a change from the CRM (the system of record) through the same domain rules as a user's
 * change: gates, history and alerts. The whole event (every field, the move, and remembering its id)
 * is one conditional write of the deal, so it is applied exactly once, or not at all: a repeat of an
 * event id the deal remembers writes nothing and reports a duplicate; a concurrent write makes
 * changeDeal re-read and re-decide on the fresh deal, so two deliveries of one event never both apply.
 */
export async function applyCrmChange(deps: AppDeps, input: CrmChangeInput): Promise<CrmChangeResult> {
  const eventId = eventIdOf(input.eventId);
  const by = crmPerson(input.actor);
  const plan = planOf(input.changes, (input.conflicts?.length ?? 0) > 0);
  const actor: Actor = { tenantId: input.tenantId, user: by };
  let duplicate = false;
  // The same approval rule as for people (judged by changeDeal on the deal as the whole event leaves it).
  // Closing Won reads the policy up front, so the refusal lists approval with whatever else the gate lacks.
  const policy = plan.target?.stage === 'Close' && plan.target.outcome === 'Won' ? (await deps.store.settings.getPolicy(input.tenantId)).policy : undefined;
  const deal = await changeDeal(
    deps,
    actor,
    input.dealId,
    (current, at) => {
      // Decided afresh on every attempt: after a conflict, the re-read deal may already hold the event.
      duplicate = (current.appliedEvents ?? []).includes(eventId);
      if (duplicate) return current;
      const planned = applyPlan(current, plan, eventId, by, at, policy);
      const applied = recordConflicts(planned, input.conflicts ?? [], by, at);
      // Only conflicts, all already on record: nothing to write (not even the event id).
      if (Object.keys(input.changes as object).length === 0 && applied === planned) return current;
      return input.link ? { ...applied, crmLink: { ...input.link } } : applied;
    },
    // The CRM is not the deal's owner; the webhook's signature is what authorises it. What came from the CRM is
    // not sent back to it (no echo); its alerts and approvals still happen.
    { trusted: true, policy, fromCrm: true, read: input.read },
  ).catch((e: unknown) => {
    // The approval rule's refusal is about the stage the event moves the deal to.
    throw isDomainError(e) && e.code === 'DEAL.STAGE_GATE_UNMET' && e.params.field === undefined ? withField(e, 'stage') : e;
  });
  return duplicate ? { applied: false, duplicate: true, deal } : { applied: true, deal };
}
