import { SendError } from '../ports/messenger.port';
import type { SendFailure, OutgoingMessageState } from '../domain/outgoing-message';
import type { NotifyConfig } from './notify-config';

/** What a failed attempt means for its delivery, and what it taught about the conversation. */
export interface AttemptOutcome {
  state: OutgoingMessageState;
  /** When to try again (throttled and retrying only). */
  nextAttemptAt?: string;
  /** What to record on the conversation: the user blocked DealDesk there, or the app is gone from it. */
  conversation?: { blocked?: true; installed?: false };
  lastError: SendFailure;
}

export type RetryConfig = Pick<NotifyConfig, 'maxAttempts' | 'baseBackoffMs' | 'maxBackoffMs'>;

/** 4xx worth trying again (every 5xx is, and network errors, which carry no status). */
const TRANSIENT_4XX = new Set([408, 412, 429]);

/**
 * The outcome of attempt number `attempt` (1 for the first) that failed with `error`, at `nowMs`.
 * 429 waits its Retry-After (or a backoff); 408/412/5xx and network errors back off; both stop after
 * `maxAttempts`. The 403s and 404 that say the conversation is gone or blocked are final and say so;
 * every other 4xx is final. `random` (0 ≤ r < 1) supplies the jitter.
 */
export function outcomeOf(error: unknown, attempt: number, config: RetryConfig, nowMs: number, random: () => number): AttemptOutcome {
  const lastError = deliveryErrorOf(error);
  const status = lastError.status;
  const code = lastError.code;

  if (status === 403 && code === 'ConversationBlockedByUser') return { state: 'blocked', conversation: { blocked: true }, lastError };
  if (status === 403 && code === 'BotNotInConversationRoster') return { state: 'notInstalled', conversation: { installed: false }, lastError };
  if (status === 404) return { state: 'notInstalled', conversation: { installed: false }, lastError };
  // A 1:1 chat whose writes are blocked (the user blocked or removed DealDesk) with no more precise code: stop sending there.
  if (status === 403 && code !== 'BotDisabledByAdmin' && subCodeOf(error) === 'MessageWritesBlocked') {
    return { state: 'blocked', conversation: { blocked: true }, lastError };
  }

  const throttled = status === 429;
  const transient = status === undefined || status >= 500 || TRANSIENT_4XX.has(status);
  if (!transient) return { state: 'failed', lastError };
  if (attempt >= config.maxAttempts) {
    return { state: 'failed', lastError: { ...lastError, message: `${lastError.message} (gave up after ${attempt} attempts)` } };
  }

  const retryAfterMs = error instanceof SendError ? error.retryAfterMs : undefined;
  const waitMs = throttled && retryAfterMs !== undefined && retryAfterMs >= 0 ? retryAfterMs : backoffMs(attempt, config, random);
  return { state: throttled ? 'throttled' : 'retrying', nextAttemptAt: new Date(nowMs + waitMs).toISOString(), lastError };
}

/** Exponential backoff with full jitter: uniformly in [0, min(max, base · 2^(attempt-1))). */
export function backoffMs(attempt: number, config: RetryConfig, random: () => number): number {
  const ceiling = Math.min(config.maxBackoffMs, config.baseBackoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** What is kept of an error on the delivery record: the connector's status and code, or the network error's code. */
export function deliveryErrorOf(error: unknown): SendFailure {
  if (error instanceof SendError) {
    return {
      ...(error.status !== undefined ? { status: error.status } : {}),
      ...(error.code ? { code: error.code } : {}),
      message: error.subCode ? `${error.message} (${error.subCode})` : error.message,
    };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { ...(typeof code === 'string' ? { code } : { code: error.name }), message: error.message };
  }
  return { message: String(error) };
}

function subCodeOf(error: unknown): string | undefined {
  return error instanceof SendError ? error.subCode : undefined;
}
