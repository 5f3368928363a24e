import type { AdminDeps } from '../app/authorise';
import { followGate } from '../app/follow-rights';
import type { PendingAlert } from '../domain/alert';
import type { Deal } from '../domain/deal';
import { isMuted } from '../domain/deal-mutes';
import type { Person } from '../domain/person';
import { localeOfPerson, pickLocale } from '../i18n/locale';
import type { Store } from '../ports/store.port';
import { atMost } from './at-most';
import type { Recipient } from '../domain/outgoing-message';

/** Followers decided at once while an alert's follows are checked (most follows need no read at all). */
const FOLLOWER_CHECKS = 16;

/** Someone an alert may go to, before their conversation or person record is read. */
export type Candidate = { kind: 'channel'; conversationId: string } | { kind: 'person'; person: Person };

/**
 * Who may hear about an alert: every conversation following the deal or its account through a follow whose
 * recorded follower could follow this deal now (app/follow-rights.ts: owner, deal team, owner's manager, admin;
 * a follow with no follower recorded delivers nothing), and 1:1 the owner (and, after a reassignment, the previous
 * owner) and every deal team member, except
 * those who made the change or muted the deal. Store calls: the follows, the reads a follower who is neither
 * owner nor team member needs, and those people's mute choices (kept with each person, not in the deal);
 * `recipientOf` then reads each one's record.
 */
export async function candidatesOf(deps: AdminDeps & { store: Store }, deal: Deal, alert: PendingAlert): Promise<Candidate[]> {
  const { store } = deps;
  const follows = await store.follows.followersOf(deal.tenantId, deal.id, deal.account.trim().toLowerCase());
  const mayDeliver = followGate(deps, deal);
  const allowed = await atMost(FOLLOWER_CHECKS, follows, mayDeliver);
  const delivering = follows.filter((_, i) => allowed[i]);
  const channels = [...new Set(delivering.map((f) => f.conversationId))].map((conversationId): Candidate => ({ kind: 'channel', conversationId }));
  const actors = new Set(alert.actors.map((a) => a.id));
  // A reassignment's alert reaches the previous owner too: they are told the deal is no longer theirs.
  const previousOwners = alert.changes.flatMap((c) => (c.kind === 'owner' ? [c.from] : []));
  const people = [deal.owner, ...previousOwners, ...deal.team.map((m) => m.person)].filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i && !actors.has(p.id));
  const choices = await store.people.muteChoices(deal.tenantId, deal.id, people.map((p) => p.id));
  const hearing = people.filter((p) => !isMuted(p.id, deal.mutedBy, choices));
  return [...channels, ...hearing.map((person): Candidate => ({ kind: 'person', person }))];
}

/** The recipient a candidate is, with the language to write in; undefined for a person who turned alerts off. */
export async function recipientOf(store: Store, tenantId: string, candidate: Candidate): Promise<Recipient | undefined> {
  if (candidate.kind === 'channel') {
    const conversation = await store.conversations.get(tenantId, candidate.conversationId);
    return { kind: 'channel', key: candidate.conversationId, name: conversation?.conversationType ?? 'channel', locale: pickLocale(conversation?.locale) };
  }
  const { person } = candidate;
  const record = await store.people.get(tenantId, person.id);
  if (record?.alertsOff) return undefined;
  return { kind: 'person', key: person.id, name: person.name, locale: localeOfPerson(record) };
}
