import { cleanText } from '../domain/deal-fields';
import { DomainError } from '../domain/errors';
import type { PersonRecord } from '../ports/people-repository.port';
import type { Actor, AppDeps } from './context';
import { cutToFit, shorten } from '../domain/shorten-text';
import { directoryRecord, lookInDirectory, type DirectoryNote } from './look-in-directory';
import { recordDirectoryPerson } from './record-directory-person';

export const PEOPLE_SHOWN = 10;

export type FoundPerson = ({ kind: 'found'; person: PersonRecord } | { kind: 'ambiguous'; query: string; matches: PersonRecord[] }) & {
  /** The directory could not be searched: the result may be incomplete (said once in the reply). */
  note?: DirectoryNote;
};

/**
 * Finds someone by name or e-mail, case-insensitively, among the people DealDesk knows and, with Entra ID
 * (GRAPH=on), the organisation's directory: the two merged, one entry per person. An exact name or e-mail wins over
 * partial matches; several partial matches are returned for the user to choose. `id:<object id>` (what a choice
 * card's button sends) finds that one person. Someone found only in the directory is recorded as known once they
 * are the one found. When the directory fails, the people DealDesk knows are the answer, with a note.
 */
export async function findPerson(deps: AppDeps, actor: Actor, queryText: string, options: { directory?: boolean } = {}): Promise<FoundPerson> {
  const typed = cleanText(queryText).replace(/^@/, '');
  const byId = /^id:(.+)$/.exec(typed.trim());
  if (byId) return findById(deps, actor, byId[1].trim(), queryText);
  const query = cutToFit(typed, 120).toLowerCase();
  if (!query) throw new DomainError('PERSON.NOT_FOUND', { query: '' });
  const [known, looked] = await Promise.all([
    deps.store.people.search(actor.tenantId, query, PEOPLE_SHOWN + 1),
    options.directory === false ? undefined : lookInDirectory(deps, actor.tenantId, 'a people search', (d) => d.search(query, PEOPLE_SHOWN + 1)),
  ]);
  const at = deps.clock.now().toISOString();
  const knownIds = new Set(known.map((p) => p.id.toLowerCase()));
  const fromDirectory = (looked?.value ?? []).filter((p) => !knownIds.has(p.id.toLowerCase())).map((p) => directoryRecord(actor.tenantId, p, at));
  const matches = [...known, ...fromDirectory].sort((a, b) => a.name.localeCompare(b.name));
  const note = looked?.note;
  const exact = matches.filter((p) => p.name.toLowerCase() === query || p.email?.toLowerCase() === query);
  const chosen = exact.length === 1 ? exact : matches;
  if (chosen.length === 0) throw notFound(queryText, note);
  if (chosen.length > 1) return { kind: 'ambiguous', query: queryText, matches: chosen.slice(0, PEOPLE_SHOWN), ...(note ? { note } : {}) };
  const person = knownIds.has(chosen[0].id.toLowerCase()) ? chosen[0] : await recordDirectoryPerson(deps, actor, chosen[0]);
  return { kind: 'found', person, ...(note ? { note } : {}) };
}

/** `id:<object id>`: someone DealDesk knows, or (a choice card's button for a directory match) someone in the directory. */
async function findById(deps: AppDeps, actor: Actor, id: string, queryText: string): Promise<FoundPerson> {
  const known = await deps.store.people.get(actor.tenantId, id);
  if (known) return { kind: 'found', person: known };
  const looked = await lookInDirectory(deps, actor.tenantId, 'a person by id', (d) => d.person(id));
  if (!looked?.value) throw notFound(queryText, looked?.note);
  return { kind: 'found', person: await recordDirectoryPerson(deps, actor, directoryRecord(actor.tenantId, looked.value, deps.clock.now().toISOString())) };
}

function notFound(queryText: string, note: DirectoryNote | undefined): DomainError {
  const query = shorten(queryText, 60);
  if (note?.failure === 'forbidden') return new DomainError('PERSON.NOT_FOUND_DIRECTORY_FORBIDDEN', { query, permission: note.permission });
  if (note?.failure === 'signIn') return new DomainError(note.credential === 'secret' ? 'PERSON.NOT_FOUND_DIRECTORY_SIGN_IN_SECRET' : 'PERSON.NOT_FOUND_DIRECTORY_SIGN_IN_IDENTITY', { query, reason: note.reason });
  if (note) return new DomainError('PERSON.NOT_FOUND_DIRECTORY_DOWN', { query });
  return new DomainError('PERSON.NOT_FOUND', { query });
}
