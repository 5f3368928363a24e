import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCert } from './self-signed-cert';

/** One request to the token endpoint, its form decoded (the client secret kept out). */
export interface TokenRequest {
  tenant: string;
  grantType: string | null;
  clientId: string | null;
  scope: string | null;
  /** Whether the form carried the client secret it was given to expect. */
  secretMatched: boolean;
}

/**
 * Entra ID's token endpoint for one app registration, as MSAL (inside @azure/identity's ClientSecretCredential)
 * talks to it: OpenID discovery (`/{tenant}/v2.0/.well-known/openid-configuration`) and the v2 token endpoint
 * (`/{tenant}/oauth2/v2.0/token`, client credentials). HTTPS with a self-signed certificate for 127.0.0.1, because
 * MSAL insists on HTTPS: a DealDesk process trusts it through NODE_EXTRA_CA_CERTS=`caFile` and reaches it through
 * AZURE_AUTHORITY_HOST=`authorityHost`. `refuse` makes it answer every token request as Entra ID answers a wrong or
 * expired secret (401 invalid_client).
 */
export class FakeEntraToken {
  readonly tokenRequests: TokenRequest[] = [];
  readonly discoveries: string[] = [];
  refuse = false;
  /** Every access token issued, with the app it was issued to and the scope it is for (a resource checks its own). */
  readonly issuedTokens = new Map<string, { tenant: string; clientId: string; scope: string }>();
  private server?: Server;
  private port = 0;
  private issued = 0;
  private readonly dir = mkdtempSync(join(tmpdir(), 'dealdesk-entra-'));
  /** The certificate to trust (NODE_EXTRA_CA_CERTS). */
  readonly caFile = join(this.dir, 'ca.pem');

  /** Without a secret, any secret is accepted (a stand-in that only cares who asked, and for what). */
  constructor(readonly clientSecret?: string) {}

  async start(): Promise<this> {
    const { cert, key } = selfSignedCert();
    writeFileSync(this.caFile, cert);
    this.server = createServer({ cert, key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', this.authorityHost);
        const answer = (status: number, body: unknown) => {
          // Not chained: restify, loaded in the same test process, patches writeHead so that it returns nothing.
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        const discovery = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
        if (req.method === 'GET' && discovery) {
          this.discoveries.push(discovery[1]);
          return answer(200, this.metadata(discovery[1]));
        }
        const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
        if (req.method === 'POST' && token) {
          const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
          this.tokenRequests.push({ tenant: token[1], grantType: form.get('grant_type'), clientId: form.get('client_id'), scope: form.get('scope'), secretMatched: this.secretMatches(form.get('client_secret')) });
          if (this.refuse || !this.secretMatches(form.get('client_secret'))) {
            return answer(401, { error: 'invalid_client', error_description: "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID. Trace ID: 0a1b2c3d", error_codes: [7000215], timestamp: new Date().toISOString(), trace_id: '0a1b2c3d', correlation_id: '4e5f6a7b' });
          }
          return answer(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: this.issue(token[1], form.get('client_id') ?? '', form.get('scope') ?? '') });
        }
        answer(404, { error: 'not_found', error_description: `${req.method} ${url.pathname}` });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  /** An access token as the token endpoint would issue it, without the round trip (for in-process tests). */
  issue(tenant: string, clientId: string, scope: string): string {
    this.issued += 1;
    const token = `entra-token-${this.issued}-for-${scope}`;
    this.issuedTokens.set(token, { tenant, clientId, scope });
    return token;
  }

  private secretMatches(given: string | null): boolean {
    return this.clientSecret === undefined ? given !== null : given === this.clientSecret;
  }

  /** AZURE_AUTHORITY_HOST for the process under test. */
  get authorityHost(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  private metadata(tenant: string) {
    const base = `${this.authorityHost}/${tenant}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${this.authorityHost}/${tenant}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
    };
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
