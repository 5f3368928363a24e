import type { DirectoryPerson } from '../ports/directory.port';
import { lookInDirectory } from './look-in-directory';
import { DomainError } from '../domain/errors';
import { DEFAULT_CURRENCY } from '../domain/money';
import { fiscalYearOf, parseQuotaAmount, type Quota, quotaStatus, type QuotaStatus, type TeamMemberStatus } from '../domain/quota';
import { localDateOf } from '../domain/zoned-time';
import type { PersonRecord } from '../ports/people-repository.port';
import { isAdmin } from './authorise';
import type { Actor, AppDeps } from './context';

/** Today's fiscal year where the person is (their time zone, or the configured default). */
export function currentFiscalYear(deps: AppDeps, timeZone: string | undefined, now: Date) {
  return fiscalYearOf(localDateOf(now, timeZone ?? deps.settings.schedule.timeZone), deps.settings.schedule.fiscalYearStartMonth);
}

/** `set manager <person> <manager>`: admins only; one conditional write of the person. */
export async function setManager(deps: AppDeps, actor: Actor, person: PersonRecord, manager: PersonRecord): Promise<void> {
  if (!(await isAdmin(deps, actor))) throw new DomainError('ADMIN.ONLY');
  if (person.id === manager.id) throw new DomainError('MANAGER.SELF', { name: person.name });
  // Marked as set in DealDesk: Entra ID's manager (src/app/sync-manager.ts) never replaces it. One conditional write.
  await deps.store.people.upsert({ tenantId: actor.tenantId, id: person.id, name: person.name, managerId: manager.id, managerSource: 'admin', updatedAt: deps.clock.now().toISOString() });
}

/** Entra ID's manager of a person when it differs from `managerId` (what an admin's `set manager` overrides), if the directory says. */
export async function entraManagerOtherThan(deps: AppDeps, tenantId: string, personId: string, managerId: string): Promise<DirectoryPerson | undefined> {
  const looked = await lookInDirectory(deps, tenantId, "a person's manager", (d) => d.managerOf(personId));
  return looked?.value && looked.value.id !== managerId ? looked.value : undefined;
}

/** `set quota …`: the person's manager or an admin. Both amounts are read before anything is stored. */
export async function setQuota(deps: AppDeps, actor: Actor, person: PersonRecord, pg1Text: string, pg2Text: string): Promise<Quota> {
  const pg1 = parseQuotaAmount('pg1', pg1Text);
  const pg2 = parseQuotaAmount('pg2', pg2Text);
  if (person.managerId !== actor.user.id && !(await isAdmin(deps, actor))) throw new DomainError('QUOTA.NOT_ALLOWED', { name: person.name });
  const now = deps.clock.now();
  const quota: Quota = {
    tenantId: actor.tenantId,
    personId: person.id,
    fiscalYear: currentFiscalYear(deps, person.timeZone, now).label,
    pg1: { amount: pg1, currency: DEFAULT_CURRENCY },
    pg2: { amount: pg2, currency: DEFAULT_CURRENCY },
    setBy: { id: actor.user.id, name: actor.user.name },
    updatedAt: now.toISOString(),
  };
  await deps.store.quotas.put(quota);
  return quota;
}

/** Where a person stands this fiscal year: target, won, weighted pipeline, attainment and gap. */
export async function quotaStatusOf(deps: AppDeps, tenantId: string, personId: string, timeZone: string | undefined, now: Date): Promise<QuotaStatus> {
  const fiscalYear = currentFiscalYear(deps, timeZone, now);
  const [deals, quota] = await Promise.all([deps.store.deals.listByOwner(tenantId, personId), deps.store.quotas.get(tenantId, personId, fiscalYear.label)]);
  return quotaStatus(deals, fiscalYear, quota);
}

/** `my team`: each report of the actor with their pipeline and attainment (empty for someone with no reports). */
export async function teamStatus(deps: AppDeps, tenantId: string, managerId: string, now: Date): Promise<TeamMemberStatus[]> {
  const reports = await deps.store.people.listReports(tenantId, managerId);
  return Promise.all(reports.map(async (person) => ({ person, status: await quotaStatusOf(deps, tenantId, person.id, person.timeZone, now) })));
}
