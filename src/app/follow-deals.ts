import type { Deal } from '../domain/deal';
import { parseAccount } from '../domain/deal-fields';
import { DomainError } from '../domain/errors';
import { mayFollowDeal } from '../domain/follow-rule';
import type { Follow, FollowTarget } from '../ports/follow-repository.port';
import type { Actor, AppDeps } from './context';
import { followerOf } from './follow-rights';

export interface FollowPlace {
  conversationId: string;
  type: 'personal' | 'groupChat' | 'channel';
}

/** Alerts follow a channel or group chat; a personal chat hears about its deals through the deal team. */
function assertShared(place: FollowPlace): void {
  if (place.type === 'personal') throw new DomainError('FOLLOW.NEEDS_CHANNEL');
}

export const accountTarget = (name: string): FollowTarget => ({ kind: 'account', account: parseAccount(name).toLowerCase() });

const recorded = (deps: AppDeps, actor: Actor, place: FollowPlace, target: FollowTarget): Follow => ({
  tenantId: actor.tenantId,
  conversationId: place.conversationId,
  target,
  createdAt: deps.clock.now().toISOString(),
  followedBy: { id: actor.user.id, name: actor.user.name },
});

/**
 * `follow <deal>` in a channel: only the deal's owner, a member of its deal team, the owner's manager or an
 * admin may (domain/follow-rule.ts), in either DEAL_VISIBILITY. The follow records who made it: its alerts
 * are delivered only while that person could still follow the deal. True when this call added it.
 */
export async function followDeal(deps: AppDeps, actor: Actor, place: FollowPlace, deal: Deal): Promise<boolean> {
  assertShared(place);
  if (!mayFollowDeal(await followerOf(deps, deal, actor.user.id), deal)) throw new DomainError('FOLLOW.NOT_ALLOWED', { id: deal.id });
  return deps.store.follows.follow(recorded(deps, actor, place, { kind: 'deal', dealId: deal.id }));
}

/**
 * `follow account <name>`: anyone may ask, and the follow records who did; each alert of the account's deals
 * reaches the channel only when that person could follow that deal (checked at fan-out: notify/recipients.ts).
 */
export async function followAccount(deps: AppDeps, actor: Actor, place: FollowPlace, target: FollowTarget): Promise<boolean> {
  assertShared(place);
  return deps.store.follows.follow(recorded(deps, actor, place, target));
}

/** Stops a follow of this conversation. Nothing about the deal is read: an id the channel does not follow is simply "not following". */
export async function unfollow(deps: AppDeps, actor: Actor, place: FollowPlace, target: FollowTarget): Promise<void> {
  assertShared(place);
  if (!(await deps.store.follows.unfollow(actor.tenantId, place.conversationId, target))) throw new DomainError('FOLLOW.NOT_FOLLOWING');
}

export const following = (deps: AppDeps, actor: Actor, place: FollowPlace): Promise<Follow[]> =>
  deps.store.follows.listByConversation(actor.tenantId, place.conversationId);
