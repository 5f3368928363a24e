import { type Deal, DEAL_DEFAULTS } from '../domain/deal';
import { dealTimersDueAt } from '../domain/deal-timers';
import { dealPeopleIds } from '../domain/deal-visibility';
import { searchKeysOf } from '../domain/search-keys';

/** Fields Cosmos DB adds to every stored item (real service and embedded server alike). */
export const COSMOS_SYSTEM_FIELDS = ['_rid', '_self', '_etag', '_attachments', '_ts'] as const;

/** Cosmos system metadata as it comes back on reads. */
export interface CosmosSystemFields {
  _rid?: string;
  _self?: string;
  _etag?: string;
  _attachments?: string;
  _ts?: number;
}

/**
 * A deal as stored: the domain Deal plus a discriminator, since containers may hold other types later,
 * and `dispatchDueAt`: when the dispatcher has work on it (the earliest alert in its outbox, or, while
 * approval notices wait, the time they were written). A plain string the index serves, so the sweep
 * needs no ARRAY_LENGTH over the notices array (which Cosmos evaluates on every document); derived on every
 * write, so it can never disagree with the outbox and notices it stands for. `timerDueAt` likewise: the
 * earliest of the deal's timers (approval reminders, CSAT follow-ups), for the scheduler's sweep. `peopleIds`
 * likewise: everyone the deal names (owner, team, approvers; domain dealPeopleIds), so a DEAL_VISIBILITY=team
 * listing finds an approver's deals with one indexed ARRAY_CONTAINS instead of looking inside the (unindexed)
 * approval round and trail. `searchKeys` likewise: the words of its id, title and account and their prefixes
 * (domain/search-keys.ts), so the compose-box search is one indexed ARRAY_CONTAINS per word of the query instead of
 * a CONTAINS over every deal of the tenant.
 */
export type DealDocument = Deal & { type: 'deal'; dealId: string; dispatchDueAt?: string; timerDueAt?: string; peopleIds?: string[]; searchKeys?: string[] };

export function dispatchDueAt(deal: Deal): string | undefined {
  const due = [deal.outboxDueAt, deal.notices.length > 0 ? deal.updatedAt : undefined].filter((t): t is string => t !== undefined);
  return due.length > 0 ? due.sort()[0] : undefined;
}

/** Removes Cosmos system fields (and any other `_`-prefixed key, e.g. `_lsn`): the domain never uses `_` names. */
export function withoutSystemFields<T extends object>(doc: T & CosmosSystemFields): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    if (!key.startsWith('_')) out[key] = value;
  }
  return out as T;
}

/** What the compose-box search matches a deal by: its id, title and account. */
export const dealSearchKeys = (deal: Pick<Deal, 'id' | 'title' | 'account'>): string[] => searchKeysOf(deal.id, deal.title ?? '', deal.account ?? '');

/** A stored deal (of any layout; other documents are left as they are) with the search keys of its id, title and account. */
export function withSearchKeys<T extends Record<string, unknown>>(doc: T): T {
  if (doc.type !== 'deal' || typeof doc.id !== 'string') return doc;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return { ...doc, searchKeys: dealSearchKeys({ id: doc.id, title: text(doc.title), account: text(doc.account) }) };
}

export function toDealDocument(deal: Deal): DealDocument {
  // `dealId` (= id): the second level of the container's partition key (containers.ts), shared with the deal's archives.
  return { ...deal, type: 'deal', dealId: deal.id, dispatchDueAt: dispatchDueAt(deal), timerDueAt: dealTimersDueAt(deal), peopleIds: dealPeopleIds(deal), searchKeys: dealSearchKeys(deal) };
}

/**
 * A stored deal as a domain Deal. Documents written before a field existed (team, mutedBy, outbox,
 * alertSeq, alertLog, appliedEvents) lack it: it gets its DEAL_DEFAULTS value, a fresh copy each time
 * so no two deals ever share a default array.
 */
export function fromDealDocument(doc: DealDocument & CosmosSystemFields): Deal {
  const { type: _type, dealId: _dealId, dispatchDueAt: _due, timerDueAt: _timer, peopleIds: _people, searchKeys: _keys, ...deal } = withoutSystemFields(doc);
  const filled = deal as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(DEAL_DEFAULTS)) {
    if (filled[key] === undefined || filled[key] === null) filled[key] = structuredClone(value);
  }
  return deal;
}
