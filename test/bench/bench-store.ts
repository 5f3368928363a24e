import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import * as https from 'node:https';
import { performance } from 'node:perf_hooks';
import { CosmosClient, type Database, type PluginConfig } from '@azure/cosmos';
import { EMBEDDED_COSMOS_KEY, startEmbeddedCosmos } from '../../src/local/embedded-cosmos';
import { QUERY_PLAN_HEADER } from '../../src/local/query-plan-shortcut';
import type { Store } from '../../src/ports/store.port';
import { openCosmosStore } from '../../src/store/cosmos-store';

/**
 * The embedded Cosmos-compatible server as DealDesk uses it (same package, keep-alive https, the real
 * @azure/cosmos client), plus what the benchmark needs to see inside:
 *   - every HTTP request the client makes (SDK `request` plugin): operation, partition key header, query text,
 *     status, request charge, and the repository call that made it;
 *   - every repository call (a proxy around each repository of the real Cosmos store), with its origin: a
 *     user's turn, the background loops (src/notify, src/jobs), or the benchmark itself (seeding).
 * Nothing in src/ changes: DealDesk gets this Store through startDealDesk's `store` override.
 */

export type Origin = 'turn' | 'background' | 'probe' | 'bench';

export interface RepoCall {
  seq: number;
  at: number;
  repo: string;
  method: string;
  origin: Origin;
  ms?: number;
  failed?: boolean;
}

export interface HttpRequestRecord {
  at: number;
  ms: number;
  call?: RepoCall;
  method: string;
  resourceType: string;
  operationType: string;
  status: number;
  charge?: number;
  partitionKey?: string;
  queryPlan: boolean;
  query?: string;
  /** The value of the query's `@tenantId` parameter, when it has one. */
  tenantId?: unknown;
}

export class StoreMeter {
  readonly calls: RepoCall[] = [];
  readonly requests: HttpRequestRecord[] = [];
  /** Off: repositories and the plugin pass through at (almost) no cost. */
  recording = false;
  /** Requests answered since the server started, recording or not. */
  totalRequests = 0;
  private seq = 0;
  readonly context = new AsyncLocalStorage<RepoCall>();

  reset(): void {
    this.calls.length = 0;
    this.requests.length = 0;
  }

  nextSeq(): number {
    return ++this.seq;
  }
}

export interface BenchServer {
  endpoint: string;
  key: string;
  meter: StoreMeter;
  client: CosmosClient;
  /** A fresh database with every DealDesk container, and its metered Store. */
  openStore(name?: string): Promise<{ store: Store; database: Database; databaseId: string }>;
  close(): Promise<void>;
}

/**
 * The server is DealDesk's own embedded one (startEmbeddedCosmos): its query engine is the one local mode ships
 * (fix F1/F1b, src/local/query-engine-patch.ts), switchable to the package's stock engine with setEngine (see
 * query-engine.ts), query plans included.
 */
export async function startBenchServer(): Promise<BenchServer> {
  const cosmos = await startEmbeddedCosmos();
  const { endpoint } = cosmos;
  const meter = new StoreMeter();

  const plugin: PluginConfig = {
    on: 'request',
    plugin: async (context, _diagnostics, next) => {
      meter.totalRequests++;
      if (!meter.recording) return next(context);
      const at = performance.now();
      const headers = (context.headers ?? {}) as Record<string, unknown>;
      const body = parseBody(context.body);
      const record: HttpRequestRecord = {
        at,
        ms: 0,
        call: meter.context.getStore(),
        method: context.method,
        resourceType: String(context.resourceType ?? ''),
        operationType: String(context.operationType ?? ''),
        status: 0,
        partitionKey: typeof headers['x-ms-documentdb-partitionkey'] === 'string' ? (headers['x-ms-documentdb-partitionkey'] as string) : undefined,
        queryPlan: String(headers[QUERY_PLAN_HEADER] ?? '').toLowerCase() === 'true',
        query: typeof body?.query === 'string' ? body.query : undefined,
        tenantId: body?.parameters?.find((p) => p?.name === '@tenantId')?.value,
      };
      meter.requests.push(record);
      try {
        const response = await next(context);
        record.status = Number((response as { code?: number }).code ?? 200) || 200;
        const charge = Number((response.headers as Record<string, unknown> | undefined)?.['x-ms-request-charge']);
        if (Number.isFinite(charge)) record.charge = charge;
        return response;
      } catch (err) {
        record.status = Number((err as { code?: number }).code) || -1;
        const charge = Number((err as { headers?: Record<string, unknown> }).headers?.['x-ms-request-charge']);
        if (Number.isFinite(charge)) record.charge = charge;
        throw err;
      } finally {
        record.ms = performance.now() - at;
      }
    },
  };

  const client = new CosmosClient({
    endpoint,
    key: EMBEDDED_COSMOS_KEY,
    // As src/store/cosmos-client.ts does for the embedded server.
    agent: new https.Agent({ keepAlive: true, rejectUnauthorized: false }),
    connectionPolicy: { enableEndpointDiscovery: false },
    plugins: [plugin],
  } as ConstructorParameters<typeof CosmosClient>[0]);

  return {
    endpoint,
    key: EMBEDDED_COSMOS_KEY,
    meter,
    client,
    async openStore(name = 'bench') {
      const databaseId = `${name}-${randomUUID().slice(0, 8)}`;
      const real = await openCosmosStore({ client, databaseId });
      return { store: meteredStore(real, meter), database: client.database(databaseId), databaseId };
    },
    close: async () => {
      client.dispose();
      await cosmos.close();
    },
  };
}

/** A query's body reaches the plugin serialised (or not): its SQL text either way. */
type QueryBody = { query?: unknown; parameters?: Array<{ name?: unknown; value?: unknown } | undefined> };
function parseBody(body: unknown): QueryBody | undefined {
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as QueryBody;
    } catch {
      return { query: body };
    }
  }
  return body && typeof body === 'object' ? (body as QueryBody) : undefined;
}

const REPOSITORIES = ['deals', 'conversations', 'people', 'follows', 'deliveries', 'settings'] as const;

/** Where a repository call comes from, read off its (async) stack. */
function originOf(stack: string): Origin {
  if (/[\\/]src[\\/](notify|scheduler)[\\/]|fire-deal-timers|send-digest|send-nudge/.test(stack)) return 'background';
  if (/[\\/]src[\\/](bot|chat|app|http)[\\/]/.test(stack)) return 'turn';
  return 'bench';
}

function captureStack(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return stack;
}

/** The real store with every repository method counted (when the meter records) and attributed. */
export function meteredStore(real: Store, meter: StoreMeter): Store {
  const wrap = <T extends object>(repo: string, target: T): T => {
    const cache = new Map<PropertyKey, unknown>();
    return new Proxy(target, {
      get(obj, property, receiver) {
        const value = Reflect.get(obj, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        let wrapped = cache.get(property);
        if (!wrapped) {
          const method = String(property);
          wrapped = function (this: unknown, ...args: unknown[]) {
            if (!meter.recording) return (value as (...a: unknown[]) => unknown).apply(obj, args);
            const call: RepoCall = { seq: meter.nextSeq(), at: performance.now(), repo, method, origin: originOf(captureStack()) };
            meter.calls.push(call);
            const result = meter.context.run(call, () => (value as (...a: unknown[]) => unknown).apply(obj, args));
            if (result instanceof Promise) {
              return result.then(
                (v) => {
                  call.ms = performance.now() - call.at;
                  return v;
                },
                (e) => {
                  call.ms = performance.now() - call.at;
                  call.failed = true;
                  throw e;
                },
              );
            }
            return result;
          };
          cache.set(property, wrapped);
        }
        return wrapped;
      },
    });
  };
  const store = { ...real } as Store;
  for (const name of REPOSITORIES) (store as unknown as Record<string, object>)[name] = wrap(name, real[name] as object);
  store.ping = async () => {
    if (!meter.recording) return real.ping();
    const call: RepoCall = { seq: meter.nextSeq(), at: performance.now(), repo: 'store', method: 'ping', origin: 'probe' };
    meter.calls.push(call);
    return meter.context.run(call, () => real.ping());
  };
  // The benchmark closes the server itself; DealDesk never closes a store it was given.
  store.close = async () => undefined;
  return store;
}
