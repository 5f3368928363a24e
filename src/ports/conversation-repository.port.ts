/** Where DealDesk can speak later without being spoken to: a stored Bot Framework conversation reference. */
export interface ConversationRecord {
  tenantId: string;
  conversationId: string;
  conversationType: 'personal' | 'groupChat' | 'channel';
  /** The user this 1:1 conversation is with, when personal. */
  userId?: string;
  /** The opaque reference (serviceUrl, conversation, bot, user) needed to send proactively. */
  reference: Record<string, unknown>;
  installed: boolean;
  updatedAt: string;
}

export interface ConversationRepository {
  save(record: ConversationRecord): Promise<void>;
  get(tenantId: string, conversationId: string): Promise<ConversationRecord | undefined>;
  /** True for the first caller only, ever, per conversation: DealDesk says hello once. */
  claimGreeting(tenantId: string, conversationId: string): Promise<boolean>;
}
