import type { Deal } from './deal';

/** The earliest follow-up still to ask, if any: when the scheduler must next look at the deal for it. */
export function followUpDueAt(deal: Deal): string | undefined {
  const due = (deal.delivery?.followUps ?? []).filter((f) => f.status === 'scheduled').map((f) => f.dueAt);
  return due.length > 0 ? due.sort()[0] : undefined;
}

/**
 * Asks the owner for every follow-up due at `at`: the follow-up becomes 'asked' and a csatRequest notice
 * to the owner is recorded, in the same write. Returns the deal unchanged when nothing is due.
 */
export function askDueFollowUps(deal: Deal, at: string): Deal {
  const plan = deal.delivery;
  const due = (plan?.followUps ?? []).filter((f) => f.status === 'scheduled' && f.dueAt <= at);
  if (!plan || due.length === 0) return deal;
  const ids = new Set(due.map((f) => f.id));
  return {
    ...deal,
    delivery: { ...plan, followUps: plan.followUps.map((f) => (ids.has(f.id) ? { ...f, status: 'asked' as const, askedAt: at } : f)) },
    notices: [...deal.notices, ...due.map((f) => ({ id: `csat.${f.id}.${at}`, kind: 'csatRequest' as const, followUpId: f.id, to: deal.owner }))],
  };
}
