import { parseRetryAfter } from '../bot/retry-after';
import { signatureOf } from '../http/verify-signature';
import type { Clock } from '../ports/clock.port';
import { CrmSendError, type CrmTarget, type OutboundEvent, type SendResult } from '../ports/crm-target.port';

export interface WebhookTargetOptions {
  url: string;
  secret: string;
  /** How long one POST may take, answer included. */
  timeoutMs: number;
  /** DealDesk's time: what the timestamp header says (the receiver checks it against its own clock). */
  clock: Clock;
}

/** The body a receiver gets: the event, without the tenant (a webhook serves one installation). */
export const webhookBodyOf = (event: OutboundEvent): string =>
  JSON.stringify({ eventId: event.eventId, deal: event.deal, sequence: event.sequence, changes: event.changes, actor: event.actor, at: event.at });

/**
 * The generic CRM target: one POST per event to CRM_WEBHOOK_URL, signed as the inbound webhook is
 * (`X-DealDesk-Timestamp`, `X-DealDesk-Signature: sha256=<HMAC of "<timestamp>.<body>">`, signed at send time).
 * 2xx is sent; 429 carries its Retry-After (seconds or an HTTP date); any other status, a network error or no
 * answer within the timeout is a CrmSendError the retry policy reads. Neither the secret nor a body is ever logged
 * or kept: the error says the status only.
 */
export function webhookTarget(options: WebhookTargetOptions): CrmTarget {
  return {
    name: 'webhook',
    async send(event: OutboundEvent, _link, signal: AbortSignal): Promise<SendResult> {
      const body = webhookBodyOf(event);
      const timestamp = String(Math.floor(options.clock.now().getTime() / 1000));
      let res: Response;
      try {
        res = await fetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-dealdesk-timestamp': timestamp,
            'x-dealdesk-signature': `sha256=${signatureOf(options.secret, timestamp, body)}`,
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]),
        });
      } catch (e) {
        const name = (e as Error)?.name;
        if (name === 'TimeoutError' || name === 'AbortError') throw new CrmSendError(`no answer within ${Math.round(options.timeoutMs / 1000)} s`, undefined, undefined, 'Timeout');
        const code = ((e as { cause?: { code?: unknown } })?.cause?.code as string | undefined) ?? 'NetworkError';
        throw new CrmSendError(`could not reach the CRM webhook (${code})`, undefined, undefined, code);
      }
      await res.arrayBuffer().catch(() => undefined); // the answer's body is not read, only drained
      if (res.status >= 200 && res.status < 300) return {};
      // An HTTP date is the receiver's wall time, so it is read against this machine's, not DealDesk's clock.
      const retryAfterMs = res.status === 429 ? parseRetryAfter(res.headers.get('retry-after')) : undefined;
      throw new CrmSendError(`the CRM webhook answered ${res.status}`, res.status, retryAfterMs);
    },
  };
}
