import { parseAccount } from '../domain/deal-fields';
import { DomainError } from '../domain/errors';
import type { Follow, FollowTarget } from '../ports/follow-repository.port';
import type { Actor, AppDeps } from './context';

export interface FollowPlace {
  conversationId: string;
  type: 'personal' | 'groupChat' | 'channel';
}

/** Alerts follow a channel or group chat; a personal chat hears about its deals through the deal team. */
function assertShared(place: FollowPlace): void {
  if (place.type === 'personal') throw new DomainError('FOLLOW.NEEDS_CHANNEL');
}

export const accountTarget = (name: string): FollowTarget => ({ kind: 'account', account: parseAccount(name).toLowerCase() });

export async function follow(deps: AppDeps, actor: Actor, place: FollowPlace, target: FollowTarget): Promise<boolean> {
  assertShared(place);
  return deps.store.follows.follow({ tenantId: actor.tenantId, conversationId: place.conversationId, target, createdAt: deps.clock.now().toISOString() });
}

export async function unfollow(deps: AppDeps, actor: Actor, place: FollowPlace, target: FollowTarget): Promise<void> {
  assertShared(place);
  if (!(await deps.store.follows.unfollow(actor.tenantId, place.conversationId, target))) throw new DomainError('FOLLOW.NOT_FOLLOWING');
}

export const following = (deps: AppDeps, actor: Actor, place: FollowPlace): Promise<Follow[]> =>
  deps.store.follows.listByConversation(actor.tenantId, place.conversationId);
