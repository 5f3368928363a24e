import { cleanText } from '../domain/deal-fields';
import { DomainError } from '../domain/errors';
import type { PersonRecord } from '../ports/people-repository.port';
import type { Actor, AppDeps } from './context';
import { cutToFit, shorten } from '../domain/shorten-text';

export const PEOPLE_SHOWN = 10;

export type FoundPerson = { kind: 'found'; person: PersonRecord } | { kind: 'ambiguous'; query: string; matches: PersonRecord[] };

/**
 * Finds someone DealDesk knows in the tenant by name or e-mail, case-insensitively. An exact name or
 * e-mail wins over partial matches; several partial matches are returned for the user to choose.
 */
export async function findPerson(deps: AppDeps, actor: Actor, queryText: string): Promise<FoundPerson> {
  const typed = cleanText(queryText).replace(/^@/, '');
  const query = cutToFit(typed, 120).toLowerCase();
  if (!query) throw new DomainError('PERSON.NOT_FOUND', { query: '' });
  const matches = await deps.store.people.search(actor.tenantId, query, PEOPLE_SHOWN + 1);
  const exact = matches.filter((p) => p.name.toLowerCase() === query || p.email?.toLowerCase() === query);
  const chosen = exact.length === 1 ? exact : matches;
  if (chosen.length === 0) throw new DomainError('PERSON.NOT_FOUND', { query: shorten(queryText, 60) });
  if (chosen.length > 1) return { kind: 'ambiguous', query: queryText, matches: chosen.slice(0, PEOPLE_SHOWN) };
  return { kind: 'found', person: chosen[0] };
}
