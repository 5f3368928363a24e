import { createHmac } from 'node:crypto';
import { WEBHOOK_SECRET, type DealDeskHarness } from './dealdesk-harness';

let sequence = 0;

/**
 * Posts a CRM change to a running DealDesk's `POST /api/webhooks/deals`, signed at DealDesk's (test) time
 * as docs/webhook.md says the CRM signs it. Returns the status and the JSON answer.
 */
export async function postCrmChange(
  h: DealDeskHarness,
  tenantId: string,
  deal: string,
  changes: Record<string, unknown>,
): Promise<{ status: number; body: any }> {
  const body = JSON.stringify({ eventId: `crm-${Date.now()}-${++sequence}`, tenantId, deal, changes, actor: { name: 'Dynamics', email: 'crm@contoso.com' } });
  const ts = String(Math.floor(h.clock.now().getTime() / 1000));
  const signature = createHmac('sha256', WEBHOOK_SECRET).update(`${ts}.${body}`).digest('hex');
  const res = await fetch(`${h.app.url}/api/webhooks/deals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-DealDesk-Timestamp': ts, 'X-DealDesk-Signature': `sha256=${signature}` },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
