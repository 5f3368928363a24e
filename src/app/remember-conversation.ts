import type { ConversationRecord } from '../ports/conversation-repository.port';
import type { AppDeps } from './context';

/** How long a remembered reference is trusted before it is written again (another instance may have marked it). */
export const REMEMBER_FOR_MS = 10 * 60_000;

/**
 * Keeps the latest reference of a conversation so DealDesk can speak first (alerts, reminders). Ordinary
 * messages write only when something changed or every 10 minutes; installs always write, which also clears
 * an earlier "blocked" or "not installed" that a failed delivery recorded.
 */
export function rememberConversationUseCase(deps: AppDeps) {
  const known = new Map<string, { fingerprint: string; at: number }>();
  return async function rememberConversation(record: Omit<ConversationRecord, 'updatedAt'>, options: { force?: boolean } = {}): Promise<void> {
    const key = `${record.tenantId}|${record.conversationId}`;
    const fingerprint = JSON.stringify([record.reference, record.installed, record.userId, record.locale]);
    const now = deps.clock.now().getTime();
    const seen = known.get(key);
    if (!options.force && seen?.fingerprint === fingerprint && now - seen.at < REMEMBER_FOR_MS) return;
    await deps.store.conversations.save({ ...record, updatedAt: new Date(now).toISOString() });
    known.set(key, { fingerprint, at: now });
  };
}
