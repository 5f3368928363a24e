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
  /** The language of the latest activity there, for proactive cards (e.g. "zh-CN"). */
  locale?: string;
  /** The user blocked DealDesk in this conversation (403 ConversationBlockedByUser): nothing is sent there. */
  blocked?: boolean;
  updatedAt: string;
}

export interface ConversationRepository {
  save(record: ConversationRecord): Promise<void>;
  get(tenantId: string, conversationId: string): Promise<ConversationRecord | undefined>;
  /** The 1:1 chat DealDesk has with a person (by AAD object id), if it has one. */
  findPersonalChat(tenantId: string, personId: string): Promise<ConversationRecord | undefined>;
  /** Marks what a send learned: uninstalled (404 / not in roster) or blocked; a later install clears both. */
  setStatus(tenantId: string, conversationId: string, status: { installed?: boolean; blocked?: boolean }): Promise<void>;
  /** True for the first caller only, ever, per conversation: DealDesk says hello once. */
  claimGreeting(tenantId: string, conversationId: string): Promise<boolean>;
}
