import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cardPress, personalText, type UserKey } from './activities';
import { cardText, rendered } from './card-query';
import { startTestStore, type TestStore } from './embedded-store';
import { FakeDataverse } from './fake-dataverse';
import { BOT_APP_ID, BOT_TENANT, FakeOpenId } from './fake-openid';
import { FakeTeams } from './fake-teams';
import { FakeManagedIdentity, LoopbackServer } from './stand-in-servers';
import { type RunningMain, startMain, stopWith } from './run-main';
import { mainCommand } from '../reliability/support/cluster';

/** The tenant of the activity fixtures, the bot's own: the deals' tenant (DATAVERSE_TENANT_ID's default). */
export const TENANT = BOT_TENANT;

/**
 * DealDesk deployed with Dynamics 365 as infra/main.bicep deploys it: Azure mode with the bot's user-assigned managed
 * identity (App Service's identity endpoint stood in for: it hands out the local Dataverse's own tokens for its
 * resource, and a token for anything else, such as the Bot Framework's), the channel's signed tokens checked against
 * FakeOpenId, DATAVERSE_URL at the local Dataverse, Teams's connector the fake Teams, Cosmos DB the embedded server. Each DealDesk is a child process (`src/main.ts`, bundled once per run as the reliability
 * specs do), so it can be SIGKILLed and several can share the store and the CRM.
 */
/** Someone in Teams: a fixture user, or a person with a real (GUID) Entra object id, as Dataverse's system users carry. */
export type Who = UserKey | { key: string; id: string; aadObjectId: string; name: string };

/** An SE whose Entra object id is a GUID (the fixtures' ids are not, so no system user can carry them). */
export const SAM = { key: 'sam', id: '29:sam', aadObjectId: '5b1f0c2e-7d44-4c1a-9e3b-2f6a8d9c0e15', name: 'Sam Lee' };

function as<T extends { from: any; conversation: any }>(activity: T, who: Who): T {
  if (typeof who === 'string') return activity;
  activity.from = { ...activity.from, id: who.id, name: who.name, aadObjectId: who.aadObjectId };
  if (activity.conversation.conversationType === 'personal') activity.conversation.id = `a:personal-${who.key}`;
  return activity;
}
const userKey = (who: Who): UserKey => (typeof who === 'string' ? who : 'alex');

export class DynamicsDeployment {
  readonly openId = new FakeOpenId();
  readonly teams = new FakeTeams({ limits: false, tenantId: TENANT });
  dv!: FakeDataverse;
  store!: TestStore;
  /** App Service's managed identity endpoint: tokens for DATAVERSE_URL are the local Dataverse's, issued to the bot. */
  readonly identity = new LoopbackServer((req) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.headers['x-identity-header'] !== FakeManagedIdentity.HEADER) return { status: 401, body: { error: 'no identity header' } };
    const resource = url.searchParams.get('resource') ?? '';
    const dataverse = resource.replace(/\/+$/, '') === this.dv.url;
    const token = dataverse ? this.dv.token(BOT_APP_ID) : `managed-identity-token-for-${resource}`;
    return { status: 200, body: { access_token: token, expires_on: String(Math.floor(Date.now() / 1000) + 3600), resource, token_type: 'Bearer', client_id: BOT_APP_ID } };
  });
  readonly running: RunningMain[] = [];

  constructor(private readonly extraEnv: NodeJS.ProcessEnv = {}) {}

  async open(options: { pageSize?: number } = {}): Promise<this> {
    await Promise.all([this.openId.start(), this.teams.start(), this.identity.start()]);
    this.dv = await FakeDataverse.start(options);
    this.store = await startTestStore();
    await mainCommand();
    return this;
  }

  env(): NodeJS.ProcessEnv {
    return {
      PORT: '0', HOST: '127.0.0.1', PLAYGROUND: 'off', LOG_LEVEL: 'warn', APPLICATIONINSIGHTS_CONNECTION_STRING: '',
      MicrosoftAppId: BOT_APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: BOT_TENANT, MicrosoftAppPassword: '',
      IDENTITY_ENDPOINT: `${this.identity.url}msi/token`, IDENTITY_HEADER: FakeManagedIdentity.HEADER,
      BOT_OPENID_METADATA_URL: this.openId.metadataUrl,
      COSMOS_ENDPOINT: this.store.endpoint, COSMOS_KEY: this.store.key, COSMOS_EMULATOR: 'on', COSMOS_DATABASE: this.store.database.id,
      DATAVERSE_URL: this.dv.url,
      DATAVERSE_POLL_MS: '1000', NOTIFY_POLL_MS: '100', ALERT_COALESCE_MS: '0', DELIVERY_LEASE_MS: '2000', SCHEDULER_POLL_MS: '500',
      ...this.extraEnv,
    };
  }

  /** A new DealDesk process on the shared store and CRM. */
  async start(env: NodeJS.ProcessEnv = {}): Promise<RunningMain> {
    const r = await startMain({ ...this.env(), ...env }, 60_000, await mainCommand());
    this.running.push(r);
    return r;
  }

  /** SIGKILL: no clean-up, no lease given back. */
  async kill(r: RunningMain): Promise<void> {
    await stopWith(r, 'SIGKILL').catch(() => undefined);
    this.running.splice(this.running.indexOf(r), 1);
  }

  async close(): Promise<void> {
    for (const r of this.running.splice(0)) await stopWith(r, 'SIGKILL').catch(() => undefined);
    await this.store?.stop();
    await this.dv?.close();
    await Promise.all([this.openId.stop(), this.teams.stop(), this.identity.stop()]);
  }

  /** POSTs a Teams activity to /api/messages with the channel's signed token; the answer's status and body. */
  async post(via: RunningMain, activity: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${via.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: this.openId.bearer({ serviceurl: this.teams.url }) },
      body: JSON.stringify(activity),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /** A message in the user's 1:1 chat (so DealDesk knows them and their chat); resolves once answered. */
  async say(via: RunningMain, text: string, who: Who = 'alex'): Promise<void> {
    const answer = await this.post(via, as(personalText(text, { as: userKey(who), serviceUrl: this.teams.url }), who));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
  }

  /** Presses a card button (Action.Execute); the text of the card or message DealDesk answers with, as Teams shows it. */
  async press(via: RunningMain, verb: string, data: Record<string, unknown>, who: Who = 'alex'): Promise<string> {
    const answer = await this.post(via, as(cardPress(verb, data, { as: userKey(who), serviceUrl: this.teams.url }), who));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const value = answer.body?.value;
    assert.equal(answer.body?.statusCode, 200, JSON.stringify(answer.body));
    return typeof value === 'string' ? rendered(value) : cardText(value as object);
  }

  /** Runs a command from a button, as the user's 1:1 chat does; what DealDesk answers. */
  run(via: RunningMain, command: string, who: Who = 'alex'): Promise<string> {
    return this.press(via, 'command.run', { command }, who);
  }

  /** The text of every message Teams accepted for a conversation (cards as their text), oldest first. */
  messagesTo(conversationId: string): string[] {
    return this.teams.sent
      .filter((s) => s.conversationId === conversationId && s.kind !== 'update' && s.body.type === 'message')
      .map((s) => [s.body.text ?? '', ...(s.body.attachments ?? []).map((a: any) => cardText(a.content))].join('\n'));
  }

  /** The fake CRM's write requests (PATCH/POST) to one opportunity record. */
  writesTo(recordId: string): Array<{ method: string; path: string; status: number }> {
    return this.dv.requests.filter((r) => (r.method === 'PATCH' || r.method === 'POST') && (r.path.includes(`opportunities(${recordId})`) || JSON.stringify(r.body ?? {}).includes(`/opportunities(${recordId})`)));
  }
}
