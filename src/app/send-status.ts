import type { AlertMessage } from '../domain/outgoing-message';
import type { Actor, AppDeps } from './context';
import { getDeal } from './find-deal';

export const ALERTS_SHOWN = 5;

/** The latest alerts of a deal with the delivery of each to each recipient. */
export async function sendStatus(deps: AppDeps, actor: Actor, dealId: string): Promise<Array<{ alertId: string; deliveries: AlertMessage[] }>> {
  const { deal } = await getDeal(deps, actor, dealId);
  const deliveries = await deps.store.deliveries.listForDeal(actor.tenantId, deal.id, 200);
  const byAlert = new Map<string, AlertMessage[]>();
  for (const d of deliveries) byAlert.set(d.alert.id, [...(byAlert.get(d.alert.id) ?? []), d]);
  return [...byAlert.entries()].slice(0, ALERTS_SHOWN).map(([alertId, list]) => ({ alertId, deliveries: list }));
}
