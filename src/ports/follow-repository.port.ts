import type { Person } from '../domain/person';

/** A channel (or group chat) that asked for the alerts of one deal or of every deal of an account. */
export type FollowTarget = { kind: 'deal'; dealId: string } | { kind: 'account'; account: string };

export interface Follow {
  tenantId: string;
  conversationId: string;
  target: FollowTarget;
  createdAt: string;
  /**
   * Who made the follow (from the activity). Its alerts are delivered only while this person could follow the
   * deal (domain/follow-rule.ts); absent on follows made before DealDesk recorded it, which deliver nothing.
   */
  followedBy?: Person;
}

export interface FollowRepository {
  /**
   * True when this call added it, or recorded its follower on a follow that had none (one conditional write);
   * false when it was followed already (the first follower stays).
   */
  follow(follow: Follow): Promise<boolean>;
  /** True when it was followed and now is not. */
  unfollow(tenantId: string, conversationId: string, target: FollowTarget): Promise<boolean>;
  listByConversation(tenantId: string, conversationId: string): Promise<Follow[]>;
  /** The follows that make a deal's alert go to a conversation: of the deal, or of its account. */
  followersOf(tenantId: string, dealId: string, account: string): Promise<Follow[]>;
}
