import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { startDealDesk, type DealDesk } from '../../src/start-dealdesk';
import { cardPress, USERS } from '../support/activities';
import { startTestStore, type TestStore } from '../support/embedded-store';
import { MemoryLogger } from '../support/memory-logger';

const APP_ID = '3f9c6a1e-2b7d-4e55-9a1c-8d2e7b6f0a41';
const TENANT = '00000000-0000-0000-0000-000000000001';
const SERVICE_URL = 'https://smba.trafficmanager.net/amer/';
const ISSUER = 'https://api.botframework.com';

const b64url = (value: object | Buffer) => (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

/** A Bot Framework-style token: RS256, signed with `key`, as the channel sends it. */
function tokenOf(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64url({ alg: 'RS256', typ: 'JWT', kid })}.${b64url({ iss: ISSUER, aud: APP_ID, serviceurl: SERVICE_URL, nbf: now - 60, iat: now - 60, exp: now + 3600, ...claims })}`;
  return `${body}.${b64url(createSign('RSA-SHA256').update(body).sign(key))}`;
}

/**
 * Issue 8, item 1: with MicrosoftAppId set, every request to /api/messages must carry a valid Bot Framework JWT. The
 * channel's OpenID metadata and signing keys are served by a local server (BOT_OPENID_METADATA_URL, loopback only).
 */
describe('inbound authentication: Bot Framework JWTs on /api/messages', function () {
  this.timeout(30_000);
  const channelKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const KID = 'channel-key-1';
  let keys: Server;
  let t: TestStore;
  let app: DealDesk;
  let n = 0;

  before(async () => {
    keys = createServer((req, res) => {
      const base = `http://127.0.0.1:${(keys.address() as AddressInfo).port}`;
      res.setHeader('content-type', 'application/json');
      if (req.url === '/openid') return res.end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
      if (req.url === '/keys') return res.end(JSON.stringify({ keys: [{ ...channelKey.publicKey.export({ format: 'jwk' }), kid: KID, use: 'sig', alg: 'RS256', endorsements: ['msteams'] }] }));
      res.statusCode = 404;
      res.end('{}');
    });
    await new Promise<void>((resolve) => keys.listen(0, '127.0.0.1', resolve));
    t = await startTestStore();
    const config = loadConfig({
      PORT: '0',
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-used-by-these-tests',
      MicrosoftAppTenantId: TENANT,
      MicrosoftAppType: 'SingleTenant',
      COSMOS_ENDPOINT: t.endpoint,
      COSMOS_KEY: t.key,
      COSMOS_EMULATOR: 'on',
      BOT_OPENID_METADATA_URL: `http://127.0.0.1:${(keys.address() as AddressInfo).port}/openid`,
    });
    app = await startDealDesk(config, new MemoryLogger(), { store: t.store });
  });
  after(async () => {
    await app?.stop();
    await t?.stop();
    await new Promise((resolve) => keys?.close(resolve));
  });

  /** An Action.Execute (answered in the HTTP response, so no outbound token is needed) from a user seen nowhere else. */
  async function press(authorization: string | undefined) {
    n += 1;
    const activity = cardPress('help.show', {}, { serviceUrl: SERVICE_URL, as: 'patti' });
    activity.from = { ...activity.from, aadObjectId: `00000000-0000-0000-0000-0000000009${String(n).padStart(2, '0')}` };
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(activity),
    });
    const remembered = await t.store.people.get(TENANT, activity.from.aadObjectId);
    return { status: res.status, body: await res.text(), handled: remembered !== undefined };
  }

  it('a valid token from the channel: 200, and the handler runs', async () => {
    const result = await press(`Bearer ${tokenOf(channelKey.privateKey, KID, {})}`);
    assert.equal(result.status, 200, result.body);
    assert.match(result.body, /AdaptiveCard/);
    assert.equal(result.handled, true);
  });

  const refused: Array<[string, () => string | undefined]> = [
    ['no token', () => undefined],
    ['not a bearer token', () => 'Basic dXNlcjpwYXNz'],
    ['a bad signature (another key, same kid)', () => `Bearer ${tokenOf(otherKey.privateKey, KID, {})}`],
    ['an unknown key id', () => `Bearer ${tokenOf(channelKey.privateKey, 'some-other-kid', {})}`],
    ['the wrong audience', () => `Bearer ${tokenOf(channelKey.privateKey, KID, { aud: '11111111-2222-3333-4444-555555555555' })}`],
    ['the wrong issuer', () => `Bearer ${tokenOf(channelKey.privateKey, KID, { iss: 'https://evil.example.com' })}`],
    ['expired (beyond the 5-minute skew)', () => `Bearer ${tokenOf(channelKey.privateKey, KID, { exp: Math.floor(Date.now() / 1000) - 600 })}`],
    ['a serviceurl claim other than the activity’s', () => `Bearer ${tokenOf(channelKey.privateKey, KID, { serviceurl: 'https://smba.evil.example.com/' })}`],
    ['garbage', () => 'Bearer not.a.jwt'],
  ];
  for (const [what, header] of refused) {
    it(`${what}: 401, and no handler runs`, async () => {
      const result = await press(header());
      assert.equal(result.status, 401, result.body);
      assert.equal(result.handled, false, 'nothing was stored for the sender');
    });
  }

  it('a token within the 5-minute clock skew is still accepted', async () => {
    const result = await press(`Bearer ${tokenOf(channelKey.privateKey, KID, { exp: Math.floor(Date.now() / 1000) - 120 })}`);
    assert.equal(result.status, 200, result.body);
  });

  it('the metadata URL can only point at this machine', () => {
    assert.throws(() => loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', MicrosoftAppTenantId: TENANT, COSMOS_ENDPOINT: 'https://x.documents.azure.com', BOT_OPENID_METADATA_URL: 'https://login.evil.example.com/openid' }), /BOT_OPENID_METADATA_URL/);
  });
});

void USERS;
