import { loadConfig } from '../../src/config';
import { startDealDesk, type DealDesk } from '../../src/start-dealdesk';
import { startTestStore, type TestStore } from './embedded-store';
import { FakeTeams, type FakeTeamsOptions } from './fake-teams';
import { MemoryLogger } from './memory-logger';
import { USERS, cardPress, channelText, personalText, type UserKey } from './activities';
import type { Clock } from '../../src/ports/clock.port';

export interface Said {
  status: number;
  /** Cards DealDesk sent in reply, in order. */
  cards: Array<Record<string, any>>;
  /** Plain text messages DealDesk sent in reply. */
  texts: string[];
}

export interface Pressed {
  status: number;
  /** The invoke response Teams receives: { statusCode, type, value }. */
  body: any;
  card?: Record<string, any>;
  message?: string;
}

export interface TurnOptions {
  as?: UserKey;
  locale?: string;
  tenantId?: string;
}

/**
 * DealDesk started for real on a free port, on an embedded Cosmos store, with a fake Teams
 * connector receiving its replies: tests talk to it only over HTTP, as Teams does.
 */
export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

export class DealDeskHarness {
  readonly connector: FakeTeams;
  readonly logger = new MemoryLogger();
  testStore!: TestStore;
  app!: DealDesk;
  /** DealDesk's time: starts at 2026-11-26 09:00 UTC and runs with real time; `advance` jumps it forward. */
  private offsetMs = Date.parse('2026-11-26T09:00:00Z') - Date.now();
  readonly clock: Clock = { now: () => new Date(Date.now() + this.offsetMs) };

  /** Moves DealDesk's time forward and wakes its scheduler, as the dev clock does (the notifier polls every 50 ms). */
  advance(ms: number): void {
    this.offsetMs += ms;
    this.app?.scheduler.wake();
  }

  /**
   * @param env extra configuration (alerts go out at once and delivery polls every 50 ms by default)
   * @param teams the fake Teams's options (its rate limits are off unless a test turns them on)
   * @param options.store `local` (the default): DealDesk is handed the embedded store as local mode opens it (items
   *   stamped with DealDesk's clock and swept when they expire); `azure`: DealDesk opens the same embedded server
   *   itself, as Azure mode opens Cosmos DB (COSMOS_ENDPOINT, as an emulator), with nothing local added
   * @param options.authorization with authentication on (MicrosoftAppId in `env`): the channel's `Authorization`
   *   header for a request whose activity carries `serviceUrl` (e.g. FakeOpenId's bearer)
   */
  constructor(private readonly env: NodeJS.ProcessEnv = {}, teams: FakeTeamsOptions = { limits: false }, private readonly options: { store?: 'local' | 'azure'; authorization?: (serviceUrl: string) => string } = {}) {
    this.connector = new FakeTeams({
      ...teams,
      members: Object.values(USERS).map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId, email: `${u.name.split(' ')[0].toLowerCase()}@contoso.com` })),
    });
  }

  async start(): Promise<this> {
    await this.connector.start();
    // Only the retention is read here: the rest of the configuration may need the store's address (Azure mode).
    const deliveryRetentionDays = loadConfig({ DELIVERY_RETENTION_DAYS: this.env.DELIVERY_RETENTION_DAYS }).settings.deliveryRetentionDays;
    this.testStore = await startTestStore({ clock: this.clock, deliveryRetentionDays });
    await this.startApp();
    return this;
  }

  private config() {
    const azure = this.options.store === 'azure' && this.testStore
      ? { COSMOS_ENDPOINT: this.testStore.endpoint, COSMOS_KEY: this.testStore.key, COSMOS_EMULATOR: 'on', COSMOS_DATABASE: this.testStore.database.id }
      : {};
    return loadConfig({ PORT: '0', PLAYGROUND: 'off', ALERT_COALESCE_MS: '0', NOTIFY_POLL_MS: '50', WEBHOOK_SECRET, ...azure, ...this.env });
  }

  private async startApp(): Promise<void> {
    const store = this.options.store === 'azure' ? {} : { store: this.testStore.store };
    this.app = await startDealDesk(this.config(), this.logger, { ...store, clock: this.clock });
  }

  /** Stops DealDesk and starts a new one on the same store, as a restart (or a new instance) would. */
  async restart(): Promise<void> {
    await this.app.stop();
    await this.startApp();
  }

  async stop(): Promise<void> {
    await this.app?.stop();
    await this.testStore?.stop();
    await this.connector.stop();
  }

  get store() {
    return this.testStore.store;
  }

  async post(activity: unknown): Promise<{ status: number; body: any }> {
    const authorization = this.options.authorization?.(String((activity as { serviceUrl?: unknown }).serviceUrl ?? ''));
    const headers = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
    const res = await fetch(`${this.app.url}/api/messages`, { method: 'POST', headers, body: JSON.stringify(activity) });
    const text = await res.text();
    return { status: res.status, body: text ? safeJson(text) : undefined };
  }

  /** Posts an activity and collects the replies DealDesk sent to it (matched by replyToId, so turns may overlap). */
  async send(activity: { id?: string } & object): Promise<Said> {
    const { status } = await this.post(activity);
    const sent = this.connector.sent.map((s) => s.body).filter((b) => b.type === 'message' && b.replyToId === activity.id);
    return {
      status,
      cards: sent.flatMap((m) => (m.attachments ?? []).map((a: any) => a.content)),
      texts: sent.filter((m) => typeof m.text === 'string' && m.text).map((m) => m.text),
    };
  }

  say(text: string, options: TurnOptions = {}): Promise<Said> {
    return this.send(personalText(text, { ...options, serviceUrl: this.connector.url }));
  }

  sayInChannel(text: string, options: TurnOptions = {}): Promise<Said> {
    return this.send(channelText(text, { ...options, serviceUrl: this.connector.url }));
  }

  async press(verb: string, data: Record<string, unknown>, options: TurnOptions = {}): Promise<Pressed> {
    const { status, body } = await this.post(cardPress(verb, data, { ...options, serviceUrl: this.connector.url }));
    const card = body?.type === 'application/vnd.microsoft.card.adaptive' ? body.value : undefined;
    const message = body?.type === 'application/vnd.microsoft.activity.message' ? body.value : undefined;
    return { status, body, card, message };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
