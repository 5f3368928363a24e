import { promises as fs } from 'node:fs';
import { setApprovalsChannel, setApprovers } from '../app/approval-settings';
import { isAdminId } from '../app/authorise';
import type { Actor, AppDeps } from '../app/context';
import { setManager } from '../app/manage-quota';
import { LOCAL_USER_KEYS, type LocalUserKey } from '../local-user-keys';
import type { PersonRecord } from '../ports/people-repository.port';
import { PLAYGROUND_IDENTITY, PLAYGROUND_USERS } from './playground';

/** Whether local mode starts on a data directory holding nothing yet (missing or empty). */
export async function isFreshDataDir(dir: string): Promise<boolean> {
  const entries = await fs.readdir(dir).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? [] : Promise.reject(e)));
  return entries.length === 0;
}

const tenantId = PLAYGROUND_IDENTITY.tenantId;
const personOf = (key: LocalUserKey, at: string): PersonRecord => {
  const u = PLAYGROUND_USERS[key];
  return { tenantId, id: u.aadObjectId, name: u.name, email: u.email, userId: u.id, updatedAt: at };
};

/**
 * A plain `npm start` on a fresh local store: the local users get the roles the start banner names, so Alex's
 * request for approval can be decided: Megan Bowen becomes Alex's manager and the level-1 (services manager)
 * approver, and the playground team's General channel the approvals channel (where Megan approves). Through the use
 * cases, as Alex (the local admin), like the demo (src/demo/seed-demo.ts). Each part only where nothing is set: a
 * manager Alex already has, a policy an admin already saved, an approvals channel chosen, are never replaced.
 */
export async function giveLocalRoles(deps: AppDeps): Promise<void> {
  const at = deps.clock.now().toISOString();
  const alex: Actor = { tenantId, user: { id: PLAYGROUND_USERS.alex.aadObjectId, name: PLAYGROUND_USERS.alex.name } };
  const d: AppDeps = { ...deps, settings: { ...deps.settings, admins: [alex.user.id] } };
  for (const key of LOCAL_USER_KEYS) {
    if (!(await d.store.people.get(tenantId, personOf(key, at).id))) await d.store.people.upsert(personOf(key, at));
  }
  if (!(await d.store.people.get(tenantId, alex.user.id))?.managerId) await setManager(d, alex, personOf('alex', at), personOf('megan', at));
  if ((await d.store.settings.getPolicy(tenantId)).etag === undefined) await setApprovers(d, alex, '1', [personOf('megan', at)], 'any');
  if (!(await d.store.settings.getApprovalsChannel(tenantId))) await setApprovalsChannel(d, alex, { conversationId: PLAYGROUND_IDENTITY.team.id, type: 'channel' });
}

/**
 * What is true of each local user in the store right now, for the banner: "admin", "level-1 approver",
 * "Alex's manager". Read, never assumed: a store where an admin chose others says so.
 */
export async function localRoleFacts(deps: Pick<AppDeps, 'store' | 'settings'>): Promise<Record<LocalUserKey, string[]>> {
  const { policy } = await deps.store.settings.getPolicy(tenantId);
  const facts = Object.fromEntries(LOCAL_USER_KEYS.map((k) => [k, [] as string[]])) as Record<LocalUserKey, string[]>;
  const records = await Promise.all(LOCAL_USER_KEYS.map((k) => deps.store.people.get(tenantId, PLAYGROUND_USERS[k].aadObjectId)));
  for (const key of LOCAL_USER_KEYS) {
    const id = PLAYGROUND_USERS[key].aadObjectId;
    if (await isAdminId(deps, tenantId, id)) facts[key].push('admin');
    policy.levels.forEach((level, i) => level.approvers.some((a) => a.id === id) && facts[key].push(`level-${i + 1} approver`));
    LOCAL_USER_KEYS.forEach((report, i) => records[i]?.managerId === id && facts[key].push(`${PLAYGROUND_USERS[report].name.split(' ')[0]}'s manager`));
  }
  return facts;
}
