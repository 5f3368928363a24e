import { SendError } from '../ports/messenger.port';
import { UnsendableError } from '../domain/outgoing-message';
import { outcomeOf, type AttemptOutcome, type RetryConfig } from './retry-policy';

/**
 * What a failed attempt comes to (see outcomeOf), with two cases of its own: an UnsendableError (there
 * is nothing to send, ever) is final at once; and for an approval card's update, a 404 that does not say
 * the conversation is gone means the card's message is (deleted?): the update fails, and the conversation
 * is NOT marked uninstalled (every alert there would stop).
 */
export function outcomeAfter(
  error: unknown,
  options: { attempt: number; isUpdate: boolean; config: RetryConfig; nowMs: number; random: () => number },
): AttemptOutcome {
  if (error instanceof UnsendableError) return { state: 'failed', lastError: { code: error.code, message: error.message } };
  const outcome = outcomeOf(error, options.attempt, options.config, options.nowMs, options.random);
  if (options.isUpdate && error instanceof SendError && error.status === 404 && error.code !== 'ConversationNotFound') {
    return { state: 'failed', lastError: { ...outcome.lastError, message: `${outcome.lastError.message} (the approval card's message could not be updated: deleted?)` } };
  }
  return outcome;
}
