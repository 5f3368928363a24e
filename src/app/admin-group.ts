import type { Directory } from '../ports/directory.port';
import type { Logger } from '../ports/logger.port';
import { lookInDirectory } from './look-in-directory';

/** A membership answer is kept this long: a turn that asks several times (or many turns in a row) asks Entra ID once. */
export const ADMIN_GROUP_CACHE_MS = 5 * 60_000;

const answers = new WeakMap<Directory, Map<string, { admin: boolean; until: number }>>();

/**
 * Whether the person is in the admin group (ADMIN_GROUP_ID) according to Entra ID, cached for ADMIN_GROUP_CACHE_MS
 * per directory. When Entra ID does not answer, the person is not an admin this time (nothing is cached).
 */
export async function inAdminGroup(deps: { directory?: Directory; logger?: Logger }, tenantId: string, personId: string, groupId: string, now = Date.now()): Promise<boolean> {
  const directory = deps.directory;
  if (!directory) return false;
  let cache = answers.get(directory);
  if (!cache) answers.set(directory, (cache = new Map()));
  const key = `${tenantId}|${personId}|${groupId}`;
  const kept = cache.get(key);
  if (kept && kept.until > now) return kept.admin;
  const logger = deps.logger ?? { debug() {}, info() {}, warn() {}, error() {} };
  const looked = await lookInDirectory({ directory, logger }, tenantId, 'an admin group membership check', (d) => d.isMemberOf(personId, groupId));
  if (!looked || looked.note) return false;
  cache.set(key, { admin: looked.value, until: now + ADMIN_GROUP_CACHE_MS });
  return looked.value;
}
