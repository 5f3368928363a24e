import type { CrmDealView, CrmEventChange, FieldConflict } from './crm-event';
import type { CrmLink } from './crm-link';
import type { AuditEntry } from './approval';
import type { Change, Deal, HistoryEntry } from './deal';
import type { CrmDealFields, CrmLease, CrmLogEntry, CrmNotice, PendingCrmEvent } from './deal-parts';
import type { CsatEntry } from './delivery-plan';
import type { Person } from './person';
import { shorten } from './shorten-text';
import { NOTICES_WAITING_MAX_BYTES } from './waiting-notices';

export type { CrmDealFields, CrmLease, CrmLogEntry, CrmNotice, PendingCrmEvent };

/**
 * Events waiting in a deal's CRM outbox. It empties within a poll while the CRM answers; while it does not, a change
 * beyond this (or beyond CRM_OUTBOX_MAX_BYTES) folds into the newest event under a new id and sequence, so the deal
 * does not grow with the outage (see recordCrmEvent).
 */
export const CRM_OUTBOX_MAX = 20;
/** What the waiting events may weigh (each carries the deal as it stood): past this, changes fold too. */
export const CRM_OUTBOX_MAX_BYTES = 24 * 1024;
/** Changes one event reports; a folded event keeps the newest (its `deal` is the whole state anyway). */
export const CRM_CHANGES_MAX = 20;
/** Finished events a deal remembers for `sync <deal>` (newest last). */
export const CRM_LOG_MAX = 10;
/**
 * The most one event's changes may weigh (UTF-8 JSON): a folded event drops its oldest changes past it. Each change is
 * at most a few KB (a 1,000-character note), so an event keeps many; its `deal` still says where the deal stands.
 */
export const CRM_EVENT_CHANGES_MAX_BYTES = 8 * 1024;
/** How much of a failure's reason is kept (the target's own short message, never a body). */
export const CRM_REASON_MAX = 200;

const bytesOf = (value: unknown): number => new TextEncoder().encode(JSON.stringify(value)).length;

/** The deal as an outbound event carries it. */
export function crmDealView(deal: Deal): CrmDealView {
  return {
    id: deal.id,
    tenantId: deal.tenantId,
    title: deal.title,
    account: deal.account,
    owner: { id: deal.owner.id, name: deal.owner.name },
    stage: deal.stage,
    ...(deal.outcome ? { outcome: deal.outcome } : {}),
    ...(deal.closeReason ? { closeReason: deal.closeReason } : {}),
    value: { amount: deal.value.amount, currency: deal.value.currency },
    closeDate: deal.closeDate,
    probability: deal.probability,
    nextStep: deal.nextStep,
    evidence: { ...deal.evidence },
    serviceLines: [...deal.serviceLines],
    rev: deal.rev,
  };
}

const person = (p: Person): Person => ({ id: p.id, name: p.name });

function historyChange(change: Change): CrmEventChange | undefined {
  switch (change.kind) {
    case 'created': return { kind: 'created' };
    case 'stage': return { kind: 'stage', from: change.from, to: change.to, ...(change.outcome ? { outcome: change.outcome } : {}), ...(change.note ? { note: change.note } : {}) };
    case 'field': return { kind: 'field', field: change.field, from: change.from, to: change.to };
    case 'team': return { kind: 'team', action: change.action, person: person(change.person), role: change.role };
    case 'note': return { kind: 'note', text: change.text };
    case 'owner': return { kind: 'owner', from: person(change.from), to: person(change.to) };
    default: return undefined; // a conflict came from the CRM: nothing to tell it
  }
}

/** Approval events a CRM hears of: requests and decisions, not DealDesk's own reminders and escalations. */
const APPROVAL_EVENTS: ReadonlySet<AuditEntry['event']> = new Set(['requested', 'resubmitted', 'decided', 'approved', 'rejected', 'changesRequested']);

function approvalChange(entry: AuditEntry): CrmEventChange {
  return {
    kind: 'approval',
    round: entry.round,
    action: entry.decision && entry.event === 'decided' ? entry.decision : entry.event,
    by: person(entry.by),
    ...(entry.levelName ? { level: entry.levelName } : {}),
    ...(entry.comment ? { comment: entry.comment } : {}),
  };
}

const csatChange = (entry: CsatEntry): CrmEventChange => ({ kind: 'csat', score: entry.score, ...(entry.comment ? { comment: entry.comment } : {}) });

/** What a write appended, as CRM changes: new history entries, approval decisions, CSAT scores (the lists only grow by appending). */
export function crmChangesOf(before: Deal | undefined, after: Deal): CrmEventChange[] {
  const appended = <T>(list: readonly T[], was: readonly T[] | undefined): readonly T[] => list.slice(Math.min(list.length, was?.length ?? 0));
  return [
    ...appended<HistoryEntry>(after.history, before?.history).map((e) => historyChange(e.change)),
    ...appended<AuditEntry>(after.approvalTrail, before?.approvalTrail).filter((e) => APPROVAL_EVENTS.has(e.event)).map(approvalChange),
    ...appended<CsatEntry>(after.csat, before?.csat).map(csatChange),
  ].filter((c): c is CrmEventChange => c !== undefined);
}

/**
 * `crmDueAt` is when the deal's first event (lowest sequence) may go: the others wait behind it, so a deal whose
 * first event waits for a retry is not found by the sweep before then, however early its later events were queued.
 */
const withCrmOutbox = (deal: Deal, crmOutbox: PendingCrmEvent[]): Deal => ({
  ...deal,
  crmOutbox,
  crmDueAt: crmOutbox.length > 0 ? crmOutbox.reduce((a, b) => (b.sequence < a.sequence ? b : a)).nextAttemptAt : undefined,
});

/** The newest changes that fit CRM_EVENT_CHANGES_MAX_BYTES (at least one: the change just made). */
function withinBytes(changes: CrmEventChange[]): CrmEventChange[] {
  let kept = changes;
  while (kept.length > 1 && bytesOf(kept) > CRM_EVENT_CHANGES_MAX_BYTES) kept = kept.slice(1);
  return kept;
}

/**
 * Records in the changed deal itself the CRM event its change causes, so both are one write (as recordAlert does for
 * alerts). `before` is the deal as read (undefined for a new deal). A change that appended nothing the CRM hears of
 * leaves the outbox alone. With CRM_OUTBOX_MAX events (or CRM_OUTBOX_MAX_BYTES) already waiting, the change folds
 * into the newest one under a new id and sequence: the dispatcher may already be sending the old one, and receivers
 * de-duplicate on the id, so a new id means the CRM hears of the change (perhaps twice), never not at all.
 */
export function recordCrmEvent(before: Deal | undefined, after: Deal, actor: Person, at: string): Deal {
  const changes = crmChangesOf(before, after);
  if (changes.length === 0) return after;
  const outbox = before?.crmOutbox ?? [];
  const sequence = (before?.crmSeq ?? 0) + 1;
  const full = outbox.length >= CRM_OUTBOX_MAX || bytesOf(outbox) >= CRM_OUTBOX_MAX_BYTES;
  const newest = full ? outbox[outbox.length - 1] : undefined;
  const event: PendingCrmEvent = {
    eventId: `${after.id}.S${sequence}`,
    deal: crmDealView(after),
    sequence,
    changes: withinBytes([...(newest?.changes ?? []), ...changes].slice(-CRM_CHANGES_MAX)),
    actor: person(actor),
    at,
    state: 'queued',
    attempts: 0,
    nextAttemptAt: at,
  };
  return withCrmOutbox({ ...after, crmSeq: sequence }, [...outbox.filter((e) => e !== newest), event]);
}

/** Events ready to send at `now`, in sequence order up to the first one still waiting (later ones wait behind it). */
export function dueCrmEvents(deal: Deal, now: string): PendingCrmEvent[] {
  const due: PendingCrmEvent[] = [];
  for (const event of [...deal.crmOutbox].sort((a, b) => a.sequence - b.sequence)) {
    if (event.nextAttemptAt > now) break;
    due.push(event);
  }
  return due;
}

/** What became of one send. */
export type CrmOutcome =
  | { eventId: string; state: 'sent'; attempts: number; at: string; link?: CrmLink }
  | { eventId: string; state: 'retrying'; attempts: number; at: string; nextAttemptAt: string; lastError: string }
  | { eventId: string; state: 'failed'; attempts: number; at: string; reason: string };

const kindsOf = (changes: readonly CrmEventChange[]) => [...new Set(changes.map((c) => c.kind))];

/**
 * Applies send outcomes to the deal as it is now (a re-read after a 412 gets them again): a sent or failed event
 * leaves the outbox for the log, a retried one waits for its next attempt; an event no longer there (folded into a
 * newer one meanwhile) is skipped: the newer one goes out with its changes. The link of the last send is kept. A
 * final failure also queues the owner's one message about it (a notice, id `crm.<event id>`).
 */
export function recordCrmOutcomes(deal: Deal, outcomes: readonly CrmOutcome[]): Deal {
  let outbox = deal.crmOutbox;
  let log = deal.crmLog;
  let link = deal.crmLink;
  let notices = deal.notices;
  for (const outcome of outcomes) {
    const event = outbox.find((e) => e.eventId === outcome.eventId);
    if (!event) continue;
    if (outcome.state === 'retrying') {
      outbox = outbox.map((e) => (e === event ? { ...e, state: 'retrying', attempts: outcome.attempts, nextAttemptAt: outcome.nextAttemptAt, lastError: shorten(outcome.lastError, CRM_REASON_MAX) } : e));
      continue;
    }
    outbox = outbox.filter((e) => e !== event);
    const reason = outcome.state === 'failed' ? { reason: shorten(outcome.reason, CRM_REASON_MAX) } : {};
    log = [...log, { eventId: event.eventId, sequence: event.sequence, state: outcome.state, attempts: outcome.attempts, ...reason, at: outcome.at, kinds: kindsOf(event.changes) }].slice(-CRM_LOG_MAX);
    if (outcome.state === 'sent' && outcome.link) link = outcome.link;
    // While messages pile up undelivered (NOTICES_WAITING_MAX_BYTES), the failure is only in the log and `sync`.
    if (outcome.state === 'failed' && bytesOf(notices) <= NOTICES_WAITING_MAX_BYTES) {
      const notice: CrmNotice = { id: `crm.${event.eventId}`, kind: 'crmFailed', to: person(deal.owner), eventId: event.eventId, kinds: kindsOf(event.changes), reason: shorten(outcome.reason, CRM_REASON_MAX) };
      notices = [...notices, notice];
    }
  }
  return withCrmOutbox({ ...deal, crmLog: log, notices, ...(link ? { crmLink: link } : {}) }, outbox);
}

/** Conflicts a send (or an inbound change) resolved, as history entries of the deal; bumps its revision. */
export function recordConflicts(deal: Deal, conflicts: readonly FieldConflict[], by: Person, at: string): Deal {
  // A disagreement already on record (the latest conflict of the field, with the same two values) is not news: a CRM
  // that keeps its value over many versions does not add an entry per version.
  const known = (c: FieldConflict) => {
    const last = [...deal.history].reverse().find((h) => h.change.kind === 'conflict' && h.change.field === c.field)?.change;
    return last?.kind === 'conflict' && last.dealdesk === c.dealdesk && last.crm === c.crm && last.kept === c.kept;
  };
  const news = conflicts.filter((c) => !known(c));
  if (news.length === 0) return deal;
  const entries: HistoryEntry[] = news.map((c) => ({ at, by, change: { kind: 'conflict', field: c.field, dealdesk: c.dealdesk, crm: c.crm, kept: c.kept } }));
  return { ...deal, history: [...deal.history, ...entries], updatedAt: at, rev: deal.rev + 1 };
}
