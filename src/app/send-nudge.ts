import { isNudgeable, nudgeDeal, nudgeOrder, nudgeRowState, recordNudge } from '../domain/stale-deal';
import type { Job, JobOutcome } from '../domain/job';
import { localeOfPerson } from '../domain/locale';
import { localDateOf, nextDaily } from '../domain/zoned-time';
import { cardMessage } from '../domain/outgoing-message';
import { changeDeal } from './change-deal';
import type { AppDeps } from './context';

/** One nudge card per person and local day. */
export const nudgeMessageId = (personId: string, localDate: string): string => `nudge|${personId}|${localDate}`;

/**
 * The daily nudge job of one person: one card listing their stale deals (keyed `nudge|<person>|<date>`),
 * then the next run, tomorrow at the nudge hour in their time zone.
 *
 * A deal is listed when it is stale, not snoozed and not nudged in the last week. The card is created
 * first (queued as data, a 'nudge' ProactiveCard: the send worker draws it in the person's language), then each
 * listed deal records `nudge.lastAt` (one trusted write per deal, no alert): a run
 * repeated the same day (a lost lease, a crash between the two) creates no second card, because the
 * delivery id is the day's. The card's buttons carry the revision each deal will have once its
 * `lastAt` is written (one write later), so the owner's first press is not taken for a stale card.
 */
export async function sendNudge(deps: AppDeps, job: Job, now: Date): Promise<JobOutcome> {
  const person = await deps.store.people.get(job.tenantId, job.personId);
  const zone = person?.timeZone ?? deps.settings.schedule.timeZone;
  const today = localDateOf(now, zone);
  const outcome = { period: today, nextDueAt: nextDaily(now, zone, deps.settings.schedule.nudgeHour).toISOString() };

  const { staleAfterDays } = deps.settings.schedule;
  const open = await deps.store.deals.listByOwner(job.tenantId, job.personId, { openOnly: true });
  const due = nudgeOrder(open.filter((deal) => isNudgeable(deal, now, today, staleAfterDays)));
  if (due.length === 0) return outcome;

  const locale = localeOfPerson(person);
  const name = person?.name ?? due[0].owner.name;
  const rows = due.map((deal) => ({ deal: nudgeDeal(deal), state: nudgeRowState(deal, now, today, staleAfterDays), rev: deal.rev + 1 }));
  await deps.store.deliveries.createIfAbsent(cardMessage(job.tenantId, nudgeMessageId(job.personId, today), { kind: 'person', key: job.personId, name, locale }, { type: 'nudge', rows, staleAfterDays }, now.toISOString()));
  const actor = { tenantId: job.tenantId, user: { id: job.personId, name } };
  for (const deal of due) await changeDeal(deps, actor, deal.id, (d) => recordNudge(d, now), { trusted: true });
  return outcome;
}
