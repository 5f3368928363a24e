import { CrmSendError } from '../ports/crm-target.port';
import { backoffMs, type RetryConfig } from '../notify/retry-policy';

export type CrmAttemptOutcome =
  | { state: 'retrying'; nextAttemptAt: string; reason: string; status?: number }
  | { state: 'failed'; reason: string; status?: number };

/** 4xx worth trying again (every 5xx is, and network errors and timeouts, which carry no status). */
const TRANSIENT_4XX = new Set([408, 412, 429]);

/** A short reason for `sync <deal>`: the target's own message (never a body or a secret), with its status. */
export function crmReasonOf(error: unknown): string {
  if (error instanceof CrmSendError) return error.status !== undefined ? `HTTP ${error.status}: ${error.message}` : error.message;
  if (error instanceof Error) return error.name === 'AbortError' || error.name === 'TimeoutError' ? 'no answer in time' : error.message;
  return String(error);
}

/**
 * What a failed send (attempt number `attempt`, 1 for the first) means for its event, by notify/retry-policy.ts's
 * rules: 429 waits the CRM's Retry-After (else a backoff); 408/412/5xx, network errors and timeouts back off with
 * full jitter; both give up after `maxAttempts`; any other 4xx (400, 401, 403, 404…) is final at once.
 */
export function crmAttemptOutcome(error: unknown, attempt: number, config: RetryConfig, nowMs: number, random: () => number): CrmAttemptOutcome {
  const status = error instanceof CrmSendError ? error.status : undefined;
  const reason = crmReasonOf(error);
  const transient = status === undefined || status >= 500 || TRANSIENT_4XX.has(status);
  if (!transient) return { state: 'failed', reason, status };
  if (attempt >= config.maxAttempts) return { state: 'failed', reason: `${reason} (gave up after ${attempt} attempts)`, status };
  const retryAfterMs = error instanceof CrmSendError ? error.retryAfterMs : undefined;
  const waitMs = status === 429 && retryAfterMs !== undefined && retryAfterMs >= 0 ? retryAfterMs : backoffMs(attempt, config, random);
  return { state: 'retrying', nextAttemptAt: new Date(nowMs + waitMs).toISOString(), reason, status };
}
