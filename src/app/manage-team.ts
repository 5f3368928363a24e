import type { Deal } from '../domain/deal';
import { addTeamMember, parseRole, removeTeamMember } from '../domain/deal-team';
import type { PersonRecord } from '../ports/people-repository.port';
import { changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';
import { getDeal } from './find-deal';
import { teamAuthoriser } from './authorise';

/** Adds a person to a deal team (or changes their role). Owner, owner's manager or admin only. */
export async function addToTeam(deps: AppDeps, actor: Actor, dealId: string, person: PersonRecord, roleText: string): Promise<Deal> {
  const role = parseRole(roleText);
  const authorise = await teamAuthoriser(deps, actor, (await getDeal(deps, actor, dealId)).deal);
  return changeDeal(deps, actor, dealId, (deal, at) => addTeamMember(deal, { person: { id: person.id, name: person.name, ...(person.userId ? { userId: person.userId } : {}) }, role }, actor.user, at), { authorise });
}

export async function removeFromTeam(deps: AppDeps, actor: Actor, dealId: string, personId: string): Promise<Deal> {
  const authorise = await teamAuthoriser(deps, actor, (await getDeal(deps, actor, dealId)).deal);
  return changeDeal(deps, actor, dealId, (deal, at) => removeTeamMember(deal, personId, actor.user, at), { authorise });
}
