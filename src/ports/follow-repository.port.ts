/** A channel (or group chat) that asked for the alerts of one deal or of every deal of an account. */
export type FollowTarget = { kind: 'deal'; dealId: string } | { kind: 'account'; account: string };

export interface Follow {
  tenantId: string;
  conversationId: string;
  target: FollowTarget;
  createdAt: string;
}

export interface FollowRepository {
  /** True when this call added it (false: it was followed already). */
  follow(follow: Follow): Promise<boolean>;
  /** True when it was followed and now is not. */
  unfollow(tenantId: string, conversationId: string, target: FollowTarget): Promise<boolean>;
  listByConversation(tenantId: string, conversationId: string): Promise<Follow[]>;
  /** The follows that make a deal's alert go to a conversation: of the deal, or of its account. */
  followersOf(tenantId: string, dealId: string, account: string): Promise<Follow[]>;
}
