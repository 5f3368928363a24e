import type { AppDeps } from './context';

/**
 * A team's roster as just read (the AAD object ids on it), made what DealDesk knows: the people on it are members of
 * the team, the people it listed before and lists no more are not. One query for who was on it, then one write per
 * person whose membership changed (domain/team-membership.ts); the people themselves are remembered by the caller.
 */
export async function syncTeamRoster(deps: AppDeps, tenantId: string, teamId: string, memberIds: readonly string[]): Promise<{ joined: number; left: number }> {
  const before = new Set(await deps.store.people.teamMemberIds(tenantId, teamId));
  const now = new Set(memberIds);
  const at = deps.clock.now().toISOString();
  const joined = [...now].filter((id) => !before.has(id));
  const left = [...before].filter((id) => !now.has(id));
  for (const id of joined) await deps.store.people.setTeamMembership(tenantId, id, teamId, true, at);
  for (const id of left) await deps.store.people.setTeamMembership(tenantId, id, teamId, false, at);
  return { joined: joined.length, left: left.length };
}
