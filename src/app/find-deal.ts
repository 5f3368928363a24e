import type { Deal } from '../domain/deal';
import { isDealId, parseDealRef } from '../domain/deal-ref';
import { DomainError } from '../domain/errors';
import type { StoredDeal } from '../ports/deal-repository.port';
import type { Actor, AppDeps } from './context';
import { shorten } from '../domain/shorten-text';
import { listReader, mayRead } from './deal-viewer';

export const MATCHES_SHOWN = 10;

export type FoundDeal = { kind: 'found'; stored: StoredDeal } | { kind: 'ambiguous'; fragment: string; matches: Deal[] };

/**
 * What a reference the actor may not read is answered with, whether the deal exists or not: under
 * DEAL_VISIBILITY=team "you don't have access to it, or there is none" (so a hidden deal and an unknown id
 * read alike), under `tenant` simply "not found" (nothing is hidden there).
 */
export const noDealFor = (deps: AppDeps, ref: string): DomainError =>
  new DomainError(deps.settings.dealVisibility === 'team' ? 'DEAL.NOT_VISIBLE' : 'DEAL.NOT_FOUND', { ref });

/** A deal by id that the actor may read (DEAL_VISIBILITY); any other is answered as one that does not exist. */
async function readable(deps: AppDeps, actor: Actor, id: string, ref: string): Promise<StoredDeal> {
  const stored = await deps.store.deals.get(actor.tenantId, id);
  if (!stored || !(await mayRead(deps, actor, stored.deal))) throw noDealFor(deps, ref);
  return stored;
}

/**
 * Finds a deal by id (D-1042, d-1042, 1042) or by a fragment of its title, among the deals the actor may
 * read: a deal they may not read is never matched, listed or named. An exact title match wins over partial
 * ones; several partial matches are returned for the user to choose.
 */
export async function findDeal(deps: AppDeps, actor: Actor, refText: string): Promise<FoundDeal> {
  const ref = parseDealRef(refText);
  if (ref.kind === 'id') return { kind: 'found', stored: await readable(deps, actor, ref.id, ref.id) };
  const shown = shorten(refText, 60);
  if (!ref.fragment) throw noDealFor(deps, shown);
  const reader = await listReader(deps, actor.tenantId, actor.user.id);
  const found = await deps.store.deals.findByTitle(actor.tenantId, ref.fragment, MATCHES_SHOWN + 1, reader.audience);
  const matches = found.filter((d) => reader.mayRead(d));
  const exact = matches.filter((d) => d.title.toLowerCase() === ref.fragment);
  const chosen = exact.length === 1 ? exact : matches;
  if (chosen.length === 0) throw noDealFor(deps, shown);
  if (chosen.length > 1) return { kind: 'ambiguous', fragment: refText, matches: chosen.slice(0, MATCHES_SHOWN) };
  return { kind: 'found', stored: await readable(deps, actor, chosen[0].id, shown) };
}

/** Reads one deal by id, for card actions (which name the deal by id): only one the actor may read. */
export async function getDeal(deps: AppDeps, actor: Actor, id: string): Promise<StoredDeal> {
  if (!isDealId(id)) throw noDealFor(deps, shorten(String(id), 20));
  return readable(deps, actor, id, id);
}
