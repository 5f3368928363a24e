import type { Locale } from '../domain/locale';
import type { PeopleRepository } from '../ports/people-repository.port';
import type { Actor, AppDeps } from './context';

/** How long a process trusts the choice it last read: a choice made through another instance is seen within this. */
const FRESH_MS = 30_000;

type Known = { language: Locale | undefined; readAt: number };
/** Per people repository (one per DealDesk in a process), the choices read lately, by tenant and person. */
const read = new WeakMap<PeopleRepository, Map<string, Known>>();
const knownOf = (people: PeopleRepository) => read.get(people) ?? read.set(people, new Map()).get(people)!;

/**
 * The language a person chose with `language`, or undefined (their Teams locale decides). Read with their record at
 * most every 30 s per process, so an ordinary turn costs no store request for it.
 */
export async function chosenLanguage(deps: Pick<AppDeps, 'store' | 'clock'>, actor: Actor): Promise<Locale | undefined> {
  const known = knownOf(deps.store.people);
  const key = `${actor.tenantId}|${actor.user.id}`;
  const now = deps.clock.now().getTime();
  const last = known.get(key);
  if (last && now - last.readAt < FRESH_MS) return last.language;
  const language = (await deps.store.people.get(actor.tenantId, actor.user.id))?.language;
  if (known.size > 10_000) known.clear();
  known.set(key, { language, readAt: now });
  return language;
}

/** Stores the person's choice (undefined: their Teams locale decides again); this process uses it from the next turn on. */
export async function chooseLanguage(deps: Pick<AppDeps, 'store' | 'clock'>, actor: Actor, language: Locale | undefined): Promise<void> {
  await deps.store.people.setLanguage(actor.tenantId, actor.user.id, language);
  knownOf(deps.store.people).set(`${actor.tenantId}|${actor.user.id}`, { language, readAt: deps.clock.now().getTime() });
}
