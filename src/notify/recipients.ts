import type { PendingAlert } from '../domain/alert';
import type { Deal } from '../domain/deal';
import { pickLocale } from '../i18n/locale';
import type { Store } from '../ports/store.port';
import type { Recipient } from './delivery';

/**
 * Who hears about an alert: every channel following the deal or its account, and 1:1 the owner and
 * every deal team member, except those who made the change, muted the deal, or turned alerts off.
 */
export async function recipientsOf(store: Store, deal: Deal, alert: PendingAlert): Promise<Recipient[]> {
  const follows = await store.follows.followersOf(deal.tenantId, deal.id, deal.account.trim().toLowerCase());
  const channels: Recipient[] = [];
  for (const conversationId of new Set(follows.map((f) => f.conversationId))) {
    const conversation = await store.conversations.get(deal.tenantId, conversationId);
    channels.push({ kind: 'channel', key: conversationId, name: conversation?.conversationType ?? 'channel', locale: pickLocale(conversation?.locale) });
  }
  const actors = new Set(alert.actors.map((a) => a.id));
  const people = [deal.owner, ...deal.team.map((m) => m.person)].filter(
    (p, i, all) => all.findIndex((q) => q.id === p.id) === i && !actors.has(p.id) && !deal.mutedBy.includes(p.id),
  );
  const persons: Recipient[] = [];
  for (const person of people) {
    const record = await store.people.get(deal.tenantId, person.id);
    if (record?.alertsOff) continue;
    persons.push({ kind: 'person', key: person.id, name: person.name, locale: pickLocale(record?.locale) });
  }
  return [...channels, ...persons];
}
