import type { Deal } from '../domain/deal';
import { parseDealRef } from '../domain/deal-ref';
import { DomainError } from '../domain/errors';
import type { StoredDeal } from '../ports/deal-repository.port';
import type { Actor, AppDeps } from './context';
import { shorten } from '../domain/shorten-text';

export const MATCHES_SHOWN = 10;

export type FoundDeal = { kind: 'found'; stored: StoredDeal } | { kind: 'ambiguous'; fragment: string; matches: Deal[] };

/**
 * Finds a deal by id (D-1042, d-1042, 1042) or by a fragment of its title. An exact title match wins
 * over partial ones; several partial matches are returned for the user to choose.
 */
export async function findDeal(deps: AppDeps, actor: Actor, refText: string): Promise<FoundDeal> {
  const ref = parseDealRef(refText);
  const { deals } = deps.store;
  if (ref.kind === 'id') {
    const stored = await deals.get(actor.tenantId, ref.id);
    if (!stored) throw new DomainError('DEAL.NOT_FOUND', { ref: ref.id });
    return { kind: 'found', stored };
  }
  if (!ref.fragment) throw new DomainError('DEAL.NOT_FOUND', { ref: shorten(refText, 60) });
  const matches = await deals.findByTitle(actor.tenantId, ref.fragment, MATCHES_SHOWN + 1);
  const exact = matches.filter((d) => d.title.toLowerCase() === ref.fragment);
  const chosen = exact.length === 1 ? exact : matches;
  if (chosen.length === 0) throw new DomainError('DEAL.NOT_FOUND', { ref: shorten(refText, 60) });
  if (chosen.length > 1) return { kind: 'ambiguous', fragment: refText, matches: chosen.slice(0, MATCHES_SHOWN) };
  const stored = await deals.get(actor.tenantId, chosen[0].id);
  if (!stored) throw new DomainError('DEAL.NOT_FOUND', { ref: shorten(refText, 60) });
  return { kind: 'found', stored };
}

/** Reads one deal by id, for card actions (which name the deal by id). */
export async function getDeal(deps: AppDeps, actor: Actor, id: string): Promise<StoredDeal> {
  const stored = /^D-\d{1,9}$/.test(id) ? await deps.store.deals.get(actor.tenantId, id) : undefined;
  if (!stored) throw new DomainError('DEAL.NOT_FOUND', { ref: shorten(String(id), 20) });
  return stored;
}
