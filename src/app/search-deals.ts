import type { DealSummary, StoredDeal } from '../ports/deal-repository.port';
import type { Actor, AppDeps } from './context';
import { cutToFit } from '../domain/shorten-text';
import { listReader } from './deal-viewer';

/** Teams asks for 25 results a page; never more than that. */
export const SEARCH_PAGE_MAX = 25;
/** How deep paging goes: skip beyond this returns nothing. */
export const SEARCH_SKIP_MAX = 500;
/** What of a query is searched for: longer text is cut. */
export const SEARCH_TEXT_MAX = 100;

export interface DealSearch {
  /** What the person typed; anything, from anyone. */
  text: unknown;
  skip: unknown;
  count: unknown;
}

export interface SearchPage {
  /** The page of deals, full (the card needs them), in result order. */
  deals: StoredDeal[];
  /** The query as searched ('' for "recently touched"). */
  text: string;
}

/** A whole number in [min, max]; anything else (text, NaN, fractions, negatives) becomes `fallback` or is clamped. */
const whole = (value: unknown, min: number, max: number, fallback: number): number => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d{1,9}\s*$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.floor(n))) : fallback;
};

/** The query text as searched: a string, control characters as spaces, white space collapsed, at most 100 characters. */
export const searchText = (text: unknown): string =>
  typeof text === 'string' ? cutToFit(cutToFit(text, SEARCH_TEXT_MAX * 4).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/\s+/g, ' ').trim(), SEARCH_TEXT_MAX) : '';

/**
 * Compose-box search (`searchDeals`): deals whose title, account or id contains the text, among those the
 * person may read (DEAL_VISIBILITY: the whole tenant, or under `team` those naming them, their reports' at any
 * depth, admins all), newest change first; an empty query lists their own recently touched deals. Paged by
 * skip/count (at most 25 a page).
 */
export async function searchDeals(deps: AppDeps, actor: Actor, search: DealSearch): Promise<SearchPage> {
  const text = searchText(search.text);
  const count = whole(search.count, 1, SEARCH_PAGE_MAX, SEARCH_PAGE_MAX);
  const skip = whole(search.skip, 0, SEARCH_SKIP_MAX, 0);
  if (skip >= SEARCH_SKIP_MAX) return { deals: [], text };
  const { deals } = deps.store;
  const reader = await listReader(deps, actor.tenantId, actor.user.id);
  const found: DealSummary[] = text
    ? await deals.searchSummaries(actor.tenantId, text, skip + count, reader.audience)
    : await deals.recentByOwner(actor.tenantId, actor.user.id, skip + count);
  const stored = await Promise.all(found.slice(skip, skip + count).map((d) => deals.get(actor.tenantId, d.id)));
  // The store filtered already; the domain rule decides again on the whole deal, so a store that filters less never leaks.
  return { deals: stored.filter((s): s is StoredDeal => s !== undefined && reader.mayRead(s.deal)), text };
}
