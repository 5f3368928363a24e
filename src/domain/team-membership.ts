/**
 * What DealDesk knows of a person's team memberships: the teams (where DealDesk is installed) whose roster listed
 * them when last read, and whether they ever met DealDesk themselves (wrote to it, or installed it).
 */
export interface Membership {
  teamIds?: string[];
  /** They wrote to DealDesk or installed it: known in their own right, whatever rosters say. */
  met?: boolean;
  /** Known only from team rosters, and on none of them any more: no longer offered when people are looked up. */
  unlisted?: boolean;
}

/**
 * A roster read found the person on (`member`) or off a team. Someone learnt only from rosters who is on none any
 * more is unlisted: people lookups (`add <person> to <deal>`, `set approvers`…) no longer offer them. Deals that name
 * them keep them (the deal team, approvers): leaving a Teams team is not leaving a deal. Undefined: nothing changes.
 */
export function withMembership<T extends Membership>(person: T, teamId: string, member: boolean): T | undefined {
  const teams = person.teamIds ?? [];
  const teamIds = member ? (teams.includes(teamId) ? teams : [...teams, teamId]) : teams.filter((t) => t !== teamId);
  const unlisted = teamIds.length === 0 && !person.met;
  if (teamIds.length === teams.length && unlisted === !!person.unlisted) return undefined;
  const { unlisted: _was, ...rest } = person;
  return (unlisted ? { ...rest, teamIds, unlisted: true } : { ...rest, teamIds }) as T;
}
