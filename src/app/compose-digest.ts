import { buildDigest, awaitingApprovalBy, openLowCsat, type WeeklyDigest } from '../domain/digest';
import { isoWeekOf, localDateOf } from '../domain/zoned-time';
import type { PersonRecord } from '../ports/people-repository.port';
import type { AppDeps } from './context';
import { listReader } from './deal-viewer';
import { quotaStatusOf, teamStatus } from './manage-quota';

/**
 * Everything one person's digest shows this week, read from the store: their deals (pipeline, last week's
 * changes, closing soon, stale) and attainment; for someone with reports, the team, the approvals waiting
 * on them at their team's (and their own) deals' active level, and open low CSAT on their team's deals.
 * Every deal shown passes the visibility rule for the person (DEAL_VISIBILITY), like any other read.
 */
export async function composeDigest(deps: AppDeps, tenantId: string, person: Pick<PersonRecord, 'id' | 'name' | 'timeZone'>, now: Date): Promise<WeeklyDigest> {
  const zone = person.timeZone ?? deps.settings.schedule.timeZone;
  const [reader, owned, status, team] = await Promise.all([
    listReader(deps, tenantId, person.id),
    deps.store.deals.listByOwner(tenantId, person.id),
    quotaStatusOf(deps, tenantId, person.id, person.timeZone, now),
    teamStatus(deps, tenantId, person.id, now),
  ]);
  const deals = owned.filter((d) => reader.mayRead(d));
  const digest = buildDigest(deals, now, localDateOf(now, zone), deps.settings.schedule.staleAfterDays);
  const view: WeeklyDigest = { name: person.name, week: isoWeekOf(now, zone), digest, status };
  if (team.length > 0) {
    const teamDeals = (await Promise.all(team.map((m) => deps.store.deals.listByOwner(tenantId, m.person.id)))).flat().filter((d) => reader.mayRead(d));
    view.manager = { team, approvals: awaitingApprovalBy([...deals, ...teamDeals], person.id), lowCsat: openLowCsat(teamDeals) };
  }
  return view;
}
