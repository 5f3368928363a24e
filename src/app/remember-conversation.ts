import type { ConversationRecord } from '../ports/conversation-repository.port';
import type { AppDeps } from './context';

/**
 * Keeps the latest reference of a conversation so later features can speak first (alerts, reminders).
 * Writes only when something a proactive send needs has changed, so ordinary messages cost no write.
 */
export function rememberConversationUseCase(deps: AppDeps) {
  const known = new Map<string, string>();
  return async function rememberConversation(record: Omit<ConversationRecord, 'updatedAt'>): Promise<void> {
    const key = `${record.tenantId}|${record.conversationId}`;
    const fingerprint = JSON.stringify([record.reference, record.installed, record.userId]);
    if (known.get(key) === fingerprint) return;
    await deps.store.conversations.save({ ...record, updatedAt: deps.clock.now().toISOString() });
    known.set(key, fingerprint);
  };
}
