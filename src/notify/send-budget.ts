import type { BudgetMember } from '../ports/send-budget-repository.port';

/**
 * How the instances share one tenant's Teams send budget (pure: members in, decisions out).
 *
 * - Each live instance takes max / N of every tenant window, N counting every member not yet gone (newcomers still
 *   waiting, and the recently dead, too): the shares never add up to more than the whole while membership changes.
 * - Each conversation (recipient) has one owner, by rendezvous hashing over the active members, so Teams's
 *   per-conversation limits hold: one instance's limiter sees all of a conversation's sends.
 * - A newcomer is active only `leaseMs + HANDOVER_MS` after it joined. Every other instance re-reads the document
 *   within its own lease or stops sending (`lapsed`), so by then all of them count the newcomer and have shrunk their
 *   share; and a member gives a conversation up HANDOVER_MS before its new owner starts on it.
 * - A member is gone HANDOVER_MS after its lease ended (it stopped sending when its lease ended, if it was alive).
 */

/** Teams's longest short per-conversation window (8 per 2 s), which also absorbs clock skew between instances. */
export const HANDOVER_MS = 2000;

const ms = (iso: string) => Date.parse(iso);

/** Members not yet gone at `nowMs`. */
export const liveMembers = (members: readonly BudgetMember[], nowMs: number): BudgetMember[] =>
  members.filter((m) => ms(m.until) + HANDOVER_MS > nowMs);

/**
 * The members after `me` renewed at `nowMs`: its lease extended, gone members dropped. Joining (or rejoining after its
 * lease lapsed) it is active at once when no other member is live; HANDOVER_MS later when the only ones left have left
 * (a graceful restart); otherwise after every other one has seen it.
 */
export function renewed(members: readonly BudgetMember[], me: string, nowMs: number, leaseMs: number): BudgetMember[] {
  const others = liveMembers(members, nowMs).filter((m) => m.instanceId !== me);
  const mine = members.find((m) => m.instanceId === me);
  const joining = !mine || ms(mine.until) <= nowMs;
  // Members that left (their lease ended: they stopped sending) need not see the newcomer; only Teams's per-conversation
  // window between their last sends and its first needs to pass (a restart after a graceful stop: 2 s, not a lease).
  const sending = others.filter((m) => ms(m.until) > nowMs);
  const wait = sending.length > 0 ? leaseMs + HANDOVER_MS : others.length > 0 ? HANDOVER_MS : 0;
  const activeFrom = !joining ? mine.activeFrom : new Date(nowMs + wait).toISOString();
  return [...others, { instanceId: me, until: new Date(nowMs + leaseMs).toISOString(), activeFrom }];
}

/** The members after `me` left at `nowMs`: its lease ends now, so the others take over HANDOVER_MS later. */
export const left = (members: readonly BudgetMember[], me: string, nowMs: number): BudgetMember[] =>
  liveMembers(members, nowMs).map((m) => (m.instanceId === me ? { ...m, until: new Date(nowMs).toISOString() } : m));

/** How many instances share the budget at `nowMs`: every member not yet gone. */
export const sharers = (members: readonly BudgetMember[], nowMs: number): number => Math.max(1, liveMembers(members, nowMs).length);

/** The active members' ids at `nowMs`, newcomers from their activeFrom. */
const activeAt = (members: readonly BudgetMember[], nowMs: number): string[] =>
  liveMembers(members, nowMs).filter((m) => ms(m.activeFrom) <= nowMs).map((m) => m.instanceId);

/** Whether `me` may send to the conversation `key` at `nowMs`: it owns it now, and still does HANDOVER_MS from now. */
export function owns(members: readonly BudgetMember[], me: string, key: string, nowMs: number): boolean {
  const mine = members.find((m) => m.instanceId === me);
  if (!mine || ms(mine.until) <= nowMs) return false; // not a member, or its lease lapsed: it must not send
  return ownerOf(key, activeAt(members, nowMs)) === me && ownerOf(key, activeAt(members, nowMs + HANDOVER_MS)) === me;
}

/** Rendezvous (highest random weight) hashing: a member's leaving or joining moves only its own share of the keys. */
export function ownerOf(key: string, ids: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = -1;
  for (const id of ids) {
    const score = fnv1a(`${id}\u0000${key}`);
    if (score > bestScore || (score === bestScore && best !== undefined && id < best)) {
      best = id;
      bestScore = score;
    }
  }
  return best;
}

/** 32-bit FNV-1a, mixed at the end (murmur3's finaliser) so nearby keys spread evenly. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
