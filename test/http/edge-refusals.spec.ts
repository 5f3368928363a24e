import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { metrics } from '../../src/metrics/metrics';
import { personalText } from '../support/activities';
import { DealDeskHarness, WEBHOOK_SECRET } from '../support/dealdesk-harness';
import { httpRequest, rawRequest } from '../support/raw-http';
import { TENANT } from '../bot/deal-fixtures';

/** Request content that must never reach the log. */
const SECRET = 'SECRET-BODY-3d9f';

interface Case {
  what: string;
  send: (h: DealDeskHarness) => Promise<number>;
  status: number;
  route: string;
  reason: string;
  msg: string;
}

const post = (h: DealDeskHarness, path: string, body: string | Buffer, headers: Record<string, string>) =>
  fetch(`${h.app.url}${path}`, { method: 'POST', headers, body }).then(async (res) => (await res.text(), res.status));
const activity = (h: DealDeskHarness, extra: Record<string, unknown> = {}) => JSON.stringify({ ...personalText(`help ${SECRET}`, { serviceUrl: h.connector.url }), ...extra });
const json = { 'content-type': 'application/json' };
const signed = (h: DealDeskHarness, body: string) => {
  const ts = String(Math.floor(h.clock.now().getTime() / 1000));
  return { ...json, 'X-DealDesk-Timestamp': ts, 'X-DealDesk-Signature': `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(`${ts}.${body}`).digest('hex')}` };
};

const CASES: Case[] = [
  { what: 'not an activity', send: (h) => post(h, '/api/messages', JSON.stringify({ conversation: { tenantId: TENANT }, hello: SECRET }), json), status: 400, route: '/api/messages', reason: 'not_an_activity', msg: 'request refused: not an activity' },
  { what: 'not JSON', send: (h) => post(h, '/api/messages', `{"text":"${SECRET}"`, json), status: 400, route: '/api/messages', reason: 'json_invalid', msg: 'request refused: not valid UTF-8 JSON' },
  { what: 'not application/json', send: (h) => post(h, '/api/messages', activity(h), { 'content-type': 'text/plain' }), status: 415, route: '/api/messages', reason: 'not_json', msg: 'request refused: not application/json' },
  { what: 'compressed', send: (h) => post(h, '/api/messages', gzipSync(activity(h)), { ...json, 'content-encoding': 'gzip' }), status: 415, route: '/api/messages', reason: 'body_compressed', msg: 'request refused: a compressed body' },
  { what: 'too large', send: (h) => post(h, '/api/messages', activity(h, { padding: 'x'.repeat(20_000) }), json), status: 413, route: '/api/messages', reason: 'body_too_large', msg: 'request refused: the body is over the limit' },
  { what: 'another tenant', send: (h) => post(h, '/api/messages', activity(h, { conversation: { id: 'a:1', conversationType: 'personal', tenantId: 'other-tenant' } }), json), status: 403, route: '/api/messages', reason: 'tenant_not_allowed', msg: 'request refused: tenant not in ALLOWED_TENANTS' },
  {
    what: 'a WebSocket upgrade',
    send: async (h) => (await rawRequest(Number(new URL(h.app.url).port), [httpRequest('GET', '/healthz', { connection: 'upgrade', upgrade: 'websocket', 'sec-websocket-version': 13, 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' })], { timeoutMs: 3000 })).status ?? 0,
    status: 400, route: 'upgrade', reason: 'upgrade', msg: 'request refused: a protocol upgrade or CONNECT',
  },
  { what: 'a path DealDesk does not serve', send: (h) => fetch(`${h.app.url}/wp-admin/${SECRET}`).then(async (r) => (await r.text(), r.status)), status: 404, route: 'other', reason: 'no_route', msg: 'request refused: no such route' },
  { what: 'an unsigned CRM change', send: (h) => post(h, '/api/webhooks/deals', JSON.stringify({ deal: 'D-1', note: SECRET }), json), status: 401, route: '/api/webhooks/deals', reason: 'WEBHOOK.SIGNATURE_MISSING', msg: 'request refused: WEBHOOK.SIGNATURE_MISSING' },
  {
    what: 'a CRM change for another tenant',
    send: (h) => {
      const body = JSON.stringify({ eventId: 'e-1', tenantId: 'other-tenant', deal: 'D-1001', changes: { nextStep: SECRET }, actor: { name: 'CRM' } });
      return post(h, '/api/webhooks/deals', body, signed(h, body));
    },
    status: 403, route: '/api/webhooks/deals', reason: 'WEBHOOK.TENANT_NOT_ALLOWED', msg: 'request refused: WEBHOOK.TENANT_NOT_ALLOWED',
  },
];

/**
 * Every refusal at the edge is one JSON log line with its route, status and reason, and one count in
 * dealdesk_http_refusals_total (served at /metrics, exported to Application Insights): a change in what Teams or the
 * CRM sends shows, where a 400 used to leave no trace at all. The line never holds what the request carried.
 */
describe('refusals at the edge: one log line and one count each, with the reason', function () {
  this.timeout(30_000);
  const h = new DealDeskHarness({ METRICS: 'on', MAX_BODY_KB: '16', ALLOWED_TENANTS: TENANT });
  before(() => h.start());
  after(() => h.stop());

  for (const c of CASES) {
    it(`${c.what}: ${c.status}, one warn line "${c.msg}", counted as ${c.reason}`, async () => {
      const counted = metrics.httpRefusals.value({ route: c.route, status: String(c.status), reason: c.reason });
      const from = h.logger.lines.length;
      assert.equal(await c.send(h), c.status);
      const lines = h.logger.lines.slice(from).filter((l) => l.level !== 'debug');
      assert.deepEqual(lines.map((l) => [l.level, l.msg]), [['warn', c.msg]], 'exactly one line for the refusal');
      const { route, status, reason } = lines[0].obj as Record<string, unknown>;
      assert.deepEqual({ route, status, reason }, { route: c.route, status: c.status, reason: c.reason });
      assert.ok(!JSON.stringify(lines).includes(SECRET), 'nothing the request carried');
      assert.equal(metrics.httpRefusals.value({ route: c.route, status: String(c.status), reason: c.reason }), counted + 1);
    });
  }

  it('the counts are served at /metrics with their labels', async () => {
    const text = await (await fetch(`${h.app.url}/metrics`)).text();
    assert.match(text, /^# TYPE dealdesk_http_refusals_total counter$/m);
    assert.match(text, /^dealdesk_http_refusals_total\{route="\/api\/messages",status="400",reason="not_an_activity"\} [1-9]\d*$/m);
    assert.match(text, /^dealdesk_http_refusals_total\{route="upgrade",status="400",reason="upgrade"\} [1-9]\d*$/m);
  });

  it('a turn answered is no refusal', async () => {
    const counted = JSON.stringify(metrics.httpRefusals.text());
    assert.equal((await h.say('help')).status, 200);
    assert.equal(JSON.stringify(metrics.httpRefusals.text()), counted);
  });
});
