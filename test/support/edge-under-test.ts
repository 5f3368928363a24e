import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { loadConfig } from '../../src/config';
import { startDealDesk, type DealDesk } from '../../src/start-dealdesk';
import { startTestStore, type TestStore } from './embedded-store';
import { FakeOpenId } from './fake-openid';
import { MemoryLogger } from './memory-logger';
import { rawRequest, httpRequest } from './raw-http';
import { WEBHOOK_SECRET } from './dealdesk-harness';

export type Mode = 'local' | 'azure';

/** Every route DealDesk serves, with the method it is served for, in `mode`. */
export const routesOf = (mode: Mode): Array<[string, string]> => [
  ['POST', '/api/messages'],
  ['POST', '/api/webhooks/deals'],
  ['GET', '/healthz'],
  ['GET', '/readyz'],
  ['GET', '/metrics'],
  ['GET', '/deals/D-1001'],
  ['GET', '/privacy'],
  ['GET', '/terms'],
  ...(mode === 'local' ? ([['POST', '/_dev/clock'], ['GET', '/_dev/clock']] as Array<[string, string]>) : []),
];

/**
 * DealDesk's HTTP edge as deployed in each mode, in this process (so its event loop can be watched): local mode
 * (authentication off, the dev clock, metrics) or Azure mode (authentication on against a local OpenID server, the
 * store reached as Azure Cosmos DB through its endpoint), with the CRM webhook on in both.
 */
export class EdgeUnderTest {
  readonly logger = new MemoryLogger();
  private readonly openId = new FakeOpenId();
  private store?: TestStore;
  app!: DealDesk;
  private delay?: IntervalHistogram;

  constructor(readonly mode: Mode, private readonly env: NodeJS.ProcessEnv = {}) {}

  async start(): Promise<this> {
    this.store = await startTestStore();
    const common = { PORT: '0', PLAYGROUND: 'off', WEBHOOK_SECRET, WEBHOOK_TENANT_ID: 'tenant-edge', METRICS: 'on', ...this.env };
    const env =
      this.mode === 'local'
        ? { ...common, DEALDESK_CLOCK: 'manual' }
        : { ...common, ...(await this.openId.start()).env(), COSMOS_ENDPOINT: this.store.endpoint, COSMOS_KEY: this.store.key, COSMOS_EMULATOR: 'on' };
    this.app = await startDealDesk(loadConfig(env), this.logger, { store: this.store.store });
    return this;
  }

  get port(): number {
    return Number(new URL(this.app.url).port);
  }

  /** Watches the event loop from now on (10 ms resolution). */
  watchEventLoop(): void {
    this.delay = monitorEventLoopDelay({ resolution: 10 });
    this.delay.enable();
  }

  /** The longest the event loop was blocked since `watchEventLoop`, in ms. */
  longestBlockMs(): number {
    this.delay?.disable();
    return (this.delay?.max ?? 0) / 1e6;
  }

  /** GET /healthz on a new connection: the status, or undefined when nothing answered. */
  async health(): Promise<number | undefined> {
    return (await rawRequest(this.port, [httpRequest('GET', '/healthz', { connection: 'close' })], { timeoutMs: 3000 })).status;
  }

  async stop(): Promise<void> {
    await this.app?.stop();
    await this.store?.stop();
    await this.openId.stop();
  }
}
