import type { LocalUserKey } from '../local-user-keys';

/**
 * Who each local user is, for the start banner and the README: their job (`title`), and in the demo tenant (src/demo)
 * the roles it gives them (`role`, `demo`). Without the demo the banner adds what the store says is true of them
 * (local-roles.ts: admin, approver levels, whose manager), which a fresh store gets at the first start.
 */
export const LOCAL_USER_ROLES: Record<LocalUserKey, { title: string; role: string; demo: string }> = {
  alex: { title: 'SE', role: 'SE, admin', demo: 'owns the demo pipeline' },
  megan: { title: 'services manager', role: 'services manager', demo: "level-1 approver, Alex's manager, on Contoso Bank's deal team" },
  adele: { title: 'director', role: 'director', demo: "level-2 approver, Megan's manager" },
  isaiah: { title: 'solution architect', role: 'solution architect', demo: "on Contoso Bank's deal team" },
  patti: { title: 'deal desk', role: 'deal desk', demo: 'level-3 approver (discounts, non-standard terms)' },
  lynne: { title: 'delivery manager', role: 'delivery manager', demo: "on Litware's deal team" },
};

/**
 * "Megan Bowen (services manager; level-1 approver, …)" in the demo; otherwise the job and the facts the store holds:
 * "Megan Bowen (services manager, level-1 approver, Alex's manager)".
 */
export function describeLocalUser(key: LocalUserKey, name: string, demo: boolean, facts: readonly string[] = []): string {
  const who = LOCAL_USER_ROLES[key];
  return demo ? `${name} (${who.role}; ${who.demo})` : `${name} (${[who.title, ...facts].join(', ')})`;
}
