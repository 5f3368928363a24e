import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';

export const BOT_APP_ID = '3f9c6a1e-2b7d-4e55-9a1c-8d2e7b6f0a41';
export const BOT_TENANT = '00000000-0000-0000-0000-000000000001';
export const CHANNEL_SERVICE_URL = 'https://smba.trafficmanager.net/amer/';
const ISSUER = 'https://api.botframework.com';
export const CHANNEL_KID = 'channel-key-1';

const b64url = (value: object | Buffer) => (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

/** A Bot Framework-style token: RS256, signed with `key`, as the channel sends it. */
export function tokenOf(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64url({ alg: 'RS256', typ: 'JWT', kid })}.${b64url({ iss: ISSUER, aud: BOT_APP_ID, serviceurl: CHANNEL_SERVICE_URL, nbf: now - 60, iat: now - 60, exp: now + 3600, ...claims })}`;
  return `${body}.${b64url(createSign('RSA-SHA256').update(body).sign(key))}`;
}

/**
 * The Bot Framework channel's OpenID metadata and signing keys, served on loopback (BOT_OPENID_METADATA_URL), so
 * DealDesk runs with authentication on, as in Azure, and checks tokens signed by `channelKey`.
 */
export class FakeOpenId {
  readonly channelKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private server?: Server;

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      res.setHeader('content-type', 'application/json');
      if (req.url === '/openid') return res.end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
      if (req.url === '/keys') return res.end(JSON.stringify({ keys: [{ ...this.channelKey.publicKey.export({ format: 'jwk' }), kid: CHANNEL_KID, use: 'sig', alg: 'RS256', endorsements: ['msteams'] }] }));
      res.statusCode = 404;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return this;
  }

  get metadataUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/openid`;
  }

  /** The environment of Azure mode's authentication, pointed at these keys. */
  env(): NodeJS.ProcessEnv {
    return { MicrosoftAppId: BOT_APP_ID, MicrosoftAppPassword: 'not-used-by-these-tests', MicrosoftAppTenantId: BOT_TENANT, MicrosoftAppType: 'SingleTenant', BOT_OPENID_METADATA_URL: this.metadataUrl };
  }

  /** A valid `Authorization` header from the channel. */
  bearer(claims: Record<string, unknown> = {}): string {
    return `Bearer ${tokenOf(this.channelKey.privateKey, CHANNEL_KID, claims)}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
