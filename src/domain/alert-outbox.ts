import { type AlertChange, type AlertRecord, type PendingAlert, alertChanges } from './alert';
import type { Deal } from './deal';
import type { Person } from './person';

export const ALERT_LOG_MAX = 20;
/** People an alert names as having changed the deal (the first ones; a CRM may send many names within a minute). */
export const ALERT_ACTORS_MAX = 5;
/**
 * Alerts waiting in a deal's outbox. It empties within a poll while delivery runs; while delivery is stuck, changes
 * beyond this fold into the newest alert instead of adding one (see recordAlert), so the deal does not grow with them.
 */
export const OUTBOX_MAX = 10;

type Base = PendingAlert['base'];
const baseOf = (deal: Deal): Base => ({ stage: deal.stage, outcome: deal.outcome, value: deal.value, closeDate: deal.closeDate, owner: deal.owner });

/** The outbox entry still gathering changes at `at`, if any. */
const gathering = (deal: Deal, at: string) => deal.outbox.find((a) => a.dueAt > at);

const withOutbox = (deal: Deal, outbox: PendingAlert[]): Deal => ({
  ...deal,
  outbox,
  outboxDueAt: outbox.length > 0 ? outbox.map((a) => a.dueAt).sort()[0] : undefined,
});

/** Whether a change leaves every field an alert reports as it was. */
const reportsNothing = (before: Deal, after: Deal): boolean =>
  before.stage === after.stage &&
  before.outcome === after.outcome &&
  before.value.amount === after.value.amount &&
  before.value.currency === after.value.currency &&
  before.closeDate === after.closeDate &&
  before.owner.id === after.owner.id;

const withActor = (actors: Person[], actor: Person): Person[] =>
  actors.some((p) => p.id === actor.id) || actors.length >= ALERT_ACTORS_MAX ? actors : [...actors, actor];

/**
 * Records in the changed deal itself the alert its change causes, so both are one write. Changes within
 * `coalesceMs` of an alert's first change fold into it: the alert then says how the deal moved from where
 * it stood before that first change to where it stands now (and disappears if it ended where it began).
 * A change that moves nothing an alert reports (a team member added, an approval decided, a note) leaves
 * the outbox alone: its author is not named under "Changed by" of an alert they had no part in.
 * With OUTBOX_MAX alerts already waiting, a change folds into the newest one the same way, under a new id: the
 * dispatcher may have begun handing the old one out, and deliveries are keyed by the alert's id, so a new id
 * means its recipients hear of the change (some perhaps twice), never not at all.
 */
export function recordAlert(before: Deal, after: Deal, actor: Person, at: string, coalesceMs: number): Deal {
  if (reportsNothing(before, after)) return after;
  const open = gathering(before, at);
  const newest = open ? undefined : before.outbox.length >= OUTBOX_MAX ? before.outbox[before.outbox.length - 1] : undefined;
  const into = open ?? newest;
  if (into) {
    // Every base field explicitly: an undefined outcome does not survive storage, so a spread would keep the current one.
    // An alert stored before owners were reported has no base owner: it started with the owner the deal had then.
    const base: Deal = { ...before, stage: into.base.stage, outcome: into.base.outcome, value: into.base.value, closeDate: into.base.closeDate, owner: into.base.owner ?? before.owner };
    const changes = alertChanges(base, after);
    if (newest && alertChanges(before, after).length === 0) return after;
    const seq = newest ? before.alertSeq + 1 : before.alertSeq;
    const folded = { ...into, ...(newest ? { id: `${before.id}.A${seq}` } : {}), changes, actors: withActor(into.actors, actor) };
    const outbox = before.outbox.filter((a) => a !== into);
    return withOutbox({ ...after, alertSeq: seq }, changes.length > 0 ? [...outbox, folded] : outbox);
  }
  const changes = alertChanges(before, after);
  if (changes.length === 0) return after;
  const seq = before.alertSeq + 1;
  const alert: PendingAlert = {
    id: `${before.id}.A${seq}`,
    base: baseOf(before),
    changes,
    actors: [actor],
    firstAt: at,
    dueAt: new Date(Date.parse(at) + coalesceMs).toISOString(),
  };
  return withOutbox({ ...after, alertSeq: seq }, [...before.outbox, alert]);
}

/** The alerts whose gathering window has closed. */
export const dueAlerts = (deal: Deal, now: string): PendingAlert[] => deal.outbox.filter((a) => a.dueAt <= now);

/** Takes an alert out of the outbox once its deliveries exist, remembering it for `alerts <ref>`. */
export function markAlertDispatched(deal: Deal, alertId: string, recipients: number, at: string): Deal {
  const alert = deal.outbox.find((a) => a.id === alertId);
  if (!alert) return deal;
  const record: AlertRecord = { id: alert.id, changes: alert.changes, actors: alert.actors, at, recipients };
  return withOutbox({ ...deal, alertLog: [...deal.alertLog, record].slice(-ALERT_LOG_MAX) }, deal.outbox.filter((a) => a !== alert));
}

export type { AlertChange };
