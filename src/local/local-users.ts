import type { LocalUserKey } from '../local-user-keys';

/**
 * Who each local user is, for the start banner and the README: the same people the demo tenant (src/demo) gives
 * these roles. Without the demo only Alex's admin right is real (LOCAL_ADMIN); the rest is what the demo sets up.
 */
export const LOCAL_USER_ROLES: Record<LocalUserKey, { role: string; demo: string }> = {
  alex: { role: 'SE, admin', demo: 'owns the demo pipeline' },
  megan: { role: 'services manager', demo: "level-1 approver, Alex's manager, on Contoso Bank's deal team" },
  adele: { role: 'director', demo: "level-2 approver, Megan's manager" },
  isaiah: { role: 'solution architect', demo: "on Contoso Bank's deal team" },
  patti: { role: 'deal desk', demo: 'level-3 approver (discounts, non-standard terms)' },
  lynne: { role: 'delivery manager', demo: "on Litware's deal team" },
};

/** "Megan Bowen (services manager; demo: level-1 approver, …)". */
export function describeLocalUser(key: LocalUserKey, name: string, demo: boolean): string {
  const who = LOCAL_USER_ROLES[key];
  return `${name} (${who.role}${demo ? `; ${who.demo}` : ''})`;
}
