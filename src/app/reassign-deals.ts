import type { Deal } from '../domain/deal';
import { DomainError, isDomainError } from '../domain/errors';
import type { Person } from '../domain/person';
import { reassignDeal, reassignedFrom } from '../domain/reassign-deal';
import type { PersonRecord } from '../ports/people-repository.port';
import { isAdmin } from './authorise';
import { changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';
import { getDeal } from './find-deal';
import { schedulePersonJobs } from './schedule-person-jobs';

/** Who may take a person's deals from them: their manager (people's managerId) or an admin. */
async function mayReassignFrom(deps: AppDeps, actor: Actor, ownerId: string): Promise<boolean> {
  const owner = await deps.store.people.get(actor.tenantId, ownerId);
  return owner?.managerId === actor.user.id || (await isAdmin(deps, actor));
}

const personOf = (p: PersonRecord): Person => ({ id: p.id, name: p.name, ...(p.userId ? { userId: p.userId } : {}) });

/**
 * Moves one deal to a new owner: one conditional write through changeDeal (the approval rule judges it there; an
 * owner is no term of an approval, so an approval still covers the deal), with the history entry and the alert to
 * the old and new owner and the deal team in the same write. The new owner gets their nudges and digest scheduled,
 * so the deal's nudges follow them. `moved` false: it was theirs already, nothing was written.
 */
export async function reassignOne(deps: AppDeps, actor: Actor, dealId: string, to: PersonRecord): Promise<{ deal: Deal; moved: boolean; from: Person }> {
  const read = await getDeal(deps, actor, dealId);
  const from = read.deal.owner;
  const allowed = await mayReassignFrom(deps, actor, from.id);
  const authorise = () => {
    if (!allowed) throw new DomainError('REASSIGN.NOT_ALLOWED', { id: read.deal.id, owner: from.name });
  };
  const deal = await changeDeal(deps, actor, read.deal.id, (d, at) => reassignDeal(d, personOf(to), actor.user, at), { authorise, read });
  const moved = deal.owner.id === to.id && deal.rev !== read.deal.rev;
  if (moved) await schedulePersonJobs(deps, actor.tenantId, to.id, to.timeZone);
  return { deal, moved, from };
}

export interface ReassignAllResult {
  moved: string[];
  alreadyMoved: string[];
  refused: Array<{ id: string; error: DomainError }>;
}

/**
 * `reassign all deals of <person> to <person>`: deal by deal, each its own conditional write (no transaction across
 * deals). Resumable: after a failure midway, running it again moves what is left; what moved before is counted as
 * already moved (the deals of the new owner whose history says they came from the old one). A deal refused (too
 * large, busy) is reported and the others go on; any other failure stops the run, to be run again.
 */
export async function reassignAll(deps: AppDeps, actor: Actor, from: PersonRecord, to: PersonRecord): Promise<ReassignAllResult> {
  if (from.id === to.id) throw new DomainError('REASSIGN.SAME_PERSON', { name: from.name });
  if (!(await mayReassignFrom(deps, actor, from.id))) throw new DomainError('REASSIGN.ALL_NOT_ALLOWED', { owner: from.name });
  const result: ReassignAllResult = { moved: [], alreadyMoved: [], refused: [] };
  const theirs = await deps.store.deals.listByOwner(actor.tenantId, from.id);
  const authorise = () => undefined; // checked above, for the person: every deal here is theirs when read
  for (const { id } of theirs) {
    try {
      // Taken over by someone else since it was listed: no longer theirs to move.
      const deal = await changeDeal(deps, actor, id, (d, at) => (d.owner.id === from.id ? reassignDeal(d, personOf(to), actor.user, at) : d), { authorise });
      if (deal.owner.id === to.id) result.moved.push(id);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      result.refused.push({ id, error: e });
    }
  }
  if (result.moved.length > 0) await schedulePersonJobs(deps, actor.tenantId, to.id, to.timeZone);
  const moved = new Set(result.moved);
  for (const deal of await deps.store.deals.listByOwner(actor.tenantId, to.id)) {
    if (!moved.has(deal.id) && reassignedFrom(deal, from.id)) result.alreadyMoved.push(deal.id);
  }
  return result;
}
