import type { Deal } from '../domain/deal';
import type { KnownDeal, UpdateContext, UpdateProposal } from '../domain/understand/update-proposal';
import type { UpdateReader } from '../ports/update-reader.port';
import type { Actor, AppDeps } from './context';

/** How long a turn waits for a reader (a model's falls back to the offline extractor within it). */
export const READ_BUDGET_MS = 5_000;

export interface ReadUpdate {
  proposal: UpdateProposal;
  /** The deals the reader was shown: the actor's own open deals, by id. */
  deals: ReadonlyMap<string, Deal>;
}

const known = (d: Deal): KnownDeal => ({ id: d.id, title: d.title, account: d.account, stage: d.stage, value: d.value, closeDate: d.closeDate, probability: d.probability });

/** The people a message may name: the actor, and the people on their deals (teams, decision makers). */
function peopleOf(actor: Actor, deals: readonly Deal[]): string[] {
  const names = [actor.user.name, ...deals.flatMap((d) => [...d.team.map((m) => m.person.name), d.evidence.bdm ?? '', d.evidence.tdm ?? ''])];
  return [...new Set(names.map((n) => n.trim()).filter((n) => n.length >= 2 && n.length <= 80))];
}

/**
 * Reads a message the user wrote in their own words into a proposal, never a change. The reader sees only the
 * actor's own open deals (never anyone else's), their time zone (as their digest uses it) and their language.
 */
export async function readUpdate(deps: AppDeps & { updateReader: UpdateReader }, actor: Actor, text: string, locale: string): Promise<ReadUpdate> {
  const [deals, person] = await Promise.all([
    deps.store.deals.listByOwner(actor.tenantId, actor.user.id, { openOnly: true }),
    deps.store.people.get(actor.tenantId, actor.user.id),
  ]);
  const own = deals.filter((d) => d.owner.id === actor.user.id);
  const context: UpdateContext = {
    timeZone: person?.timeZone ?? deps.settings.schedule.timeZone,
    now: deps.clock.now(),
    locale,
    deals: own.map(known),
    people: peopleOf(actor, own),
  };
  const proposal = await deps.updateReader.read(text, context, AbortSignal.timeout(READ_BUDGET_MS));
  return { proposal, deals: new Map(own.map((d) => [d.id, d])) };
}
