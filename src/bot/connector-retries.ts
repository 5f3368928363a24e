import { AsyncLocalStorage } from 'node:async_hooks';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { CloudAdapter } from 'botbuilder';
import { observeConnectorCalls } from './connector-calls';
import { retryAfterMs } from './retry-after';

/**
 * botbuilder's own HTTP retries, bounded. Its pipeline (@azure/core-rest-pipeline → @typespec/ts-http-runtime) has a
 * `defaultRetryPolicy` that retries 429 and 503 after their Retry-After, other 5xx and 408 with exponential backoff
 * (1 s, 2 s, 4 s…) and refused/reset connections, up to 3 times, and no ConnectorClientOptions turns it off. A hook
 * on the adapter's connector factories replaces it: the messenger's own calls fail fast (the delivery engine owns
 * their retries), calls inside a turn retry once (`boundTurnRetries`).
 */

interface PipelineRequestLike {
  timeout: number;
  url: string;
  method: string;
}
interface PipelineLike {
  removePolicy(options: { name?: string; phase?: string }): unknown[];
  addPolicy(policy: { name: string; sendRequest(request: PipelineRequestLike, next: (r: PipelineRequestLike) => Promise<unknown>): Promise<unknown> }, options?: { phase?: 'Retry'; afterPhase?: 'Retry' }): void;
}
interface ConnectorFactoryLike {
  create(serviceUrl: string, audience?: string): Promise<unknown>;
}
interface PipelineResponseLike {
  status: number;
  headers: { get(name: string): string | undefined };
}
interface HookState {
  /** Every call fails fast (disableSdkRetries). */
  global: boolean;
  /** Calls outside the messenger's own retry once (boundTurnRetries). */
  turn?: TurnRetry;
}
interface BotFrameworkAuthenticationLike {
  createConnectorFactory(claimsIdentity: unknown): ConnectorFactoryLike;
  authenticateRequest?(...args: unknown[]): Promise<{ connectorFactory?: ConnectorFactoryLike } | undefined>;
  [hookInstalled]?: HookState;
}

const hookInstalled = Symbol.for('dealdesk.connectorHook');
/** Set while the messenger makes a call: connector clients created inside get no retries and a timeout. */
const failFastScope = new AsyncLocalStorage<{ timeoutMs?: number }>();

/** Runs `call` with every connector client it creates failing fast: no SDK retry, `timeoutMs` per request. */
export function runFailingFast<T>(timeoutMs: number, call: () => Promise<T>): Promise<T> {
  return failFastScope.run({ timeoutMs }, call);
}

/** The name of core-rest-pipeline's retry policy (throttling + exponential + system-error retries). */
export const SDK_RETRY_POLICY_NAME = 'defaultRetryPolicy';

/**
 * Turns botbuilder's own HTTP retries off for EVERY connector call this adapter makes (proactive sends,
 * createConversation, replies inside turns, TeamsInfo roster calls). Optional: TeamsMessenger already
 * turns them off for its own calls; call this only if the whole bot should fail fast, right after
 * `new TeamsAdapter(...)`. Idempotent.
 */
export function disableSdkRetries(adapter: CloudAdapter | TeamsAdapter): void {
  installConnectorHook(adapter).global = true;
}

/** How connector calls made inside a turn (replies, rosters) retry: see `boundTurnRetries`. */
export interface TurnRetry {
  /** Pause before the one retry after a network error, a 408 or a 5xx. */
  pauseMs: number;
  /** A 429 or 503 whose Retry-After is longer than this is not retried. */
  maxRetryAfterMs: number;
  /** Per HTTP request. */
  timeoutMs: number;
}

/**
 * Inside a turn Teams waits for DealDesk's answer; it gives up after 15 s and sends the activity again. botbuilder's
 * own retries (up to 3, backing off 1 s, 2 s, 4 s) outlast that against a dead serviceUrl or a failing connector,
 * and a greeting makes two such calls. Every connector call that is not the messenger's own (replies in a turn,
 * roster reads) gets at most ONE retry: after `pauseMs` for a refused or reset connection, a 408 or a 5xx (not
 * 501), or after Retry-After for a 429/503 that asks for no more than `maxRetryAfterMs`. A timed-out request is
 * not retried (it may have landed). Idempotent; the last options win.
 */
export function boundTurnRetries(adapter: CloudAdapter | TeamsAdapter, options: Partial<TurnRetry> = {}): void {
  installConnectorHook(adapter).turn = { pauseMs: 250, maxRetryAfterMs: 2_000, timeoutMs: 5_000, ...options };
}

export function installConnectorHook(adapter: CloudAdapter | TeamsAdapter): HookState {
  const auth = (adapter as unknown as { botFrameworkAuthentication?: BotFrameworkAuthenticationLike }).botFrameworkAuthentication;
  // A stand-in adapter (a test double) has none: nothing to hook then.
  if (!auth || typeof auth.createConnectorFactory !== 'function') return { global: false };
  const existing = auth[hookInstalled];
  if (existing) return existing;
  const state: HookState = { global: false };
  auth[hookInstalled] = state;
  const hook = (factory: ConnectorFactoryLike): ConnectorFactoryLike => {
    const create = factory.create.bind(factory);
    factory.create = async (serviceUrl: string, audience?: string) => {
      const client = await create(serviceUrl, audience);
      observeConnectorCalls(pipelineOf(client));
      const scope = failFastScope.getStore();
      if (scope || state.global) failFast(client, scope?.timeoutMs);
      else if (state.turn) retryOnce(client, state.turn);
      return client;
    };
    return factory;
  };
  // Proactive calls (continueConversationAsync, createConversation) get their factory here...
  const createConnectorFactory = auth.createConnectorFactory.bind(auth);
  auth.createConnectorFactory = (claimsIdentity: unknown) => hook(createConnectorFactory(claimsIdentity));
  // ...and a turn's replies from the one authenticating the request makes for it.
  if (typeof auth.authenticateRequest === 'function') {
    const authenticateRequest = auth.authenticateRequest.bind(auth);
    auth.authenticateRequest = async (...args: unknown[]) => {
      const result = await authenticateRequest(...args);
      if (result?.connectorFactory) hook(result.connectorFactory);
      return result;
    };
  }
  return state;
}

function pipelineOf(connectorClient: unknown): PipelineLike {
  // ConnectorClient extends botbuilder-stdlib's ServiceClientContext, whose private `client` is an
  // @azure/core-client ServiceClient with a core-rest-pipeline `pipeline`.
  const pipeline = (connectorClient as { client?: { pipeline?: PipelineLike } }).client?.pipeline;
  if (!pipeline || typeof pipeline.removePolicy !== 'function') {
    throw new Error('connector-retries: cannot reach the connector client pipeline (botbuilder changed?)');
  }
  return pipeline;
}

/** Removes the retry policy from a ConnectorClient's pipeline (and sets a per-request timeout). */
function failFast(connectorClient: unknown, timeoutMs: number | undefined): void {
  const pipeline = pipelineOf(connectorClient);
  pipeline.removePolicy({ name: SDK_RETRY_POLICY_NAME });
  if (timeoutMs && timeoutMs > 0) {
    pipeline.addPolicy({
      name: 'dealdeskRequestTimeout',
      sendRequest: (request, next) => {
        if (!request.timeout) request.timeout = timeoutMs;
        return next(request);
      },
    });
  }
}

/** Replaces the SDK's retry policy with `boundTurnRetries`'s single retry. */
function retryOnce(connectorClient: unknown, turn: TurnRetry): void {
  const pipeline = pipelineOf(connectorClient);
  pipeline.removePolicy({ name: SDK_RETRY_POLICY_NAME });
  pipeline.addPolicy({
    name: 'dealdeskRetryOnce',
    sendRequest: async (request, next) => {
      if (!request.timeout) request.timeout = turn.timeoutMs;
      let response: PipelineResponseLike;
      try {
        response = (await next(request)) as PipelineResponseLike;
      } catch (err) {
        if (!RETRIED_NETWORK_ERRORS.has(String((err as { code?: unknown }).code))) throw err;
        await sleep(turn.pauseMs);
        return next(request);
      }
      const wait = retryWait(response, turn);
      if (wait === undefined) return response;
      await sleep(wait);
      return next(request);
    },
    // Where the SDK's own was: inside deserialization, so this sees the HTTP answer before it becomes an error.
  }, { phase: 'Retry' });
}

/** Refused or reset before an answer, or a name that did not resolve: nothing reached Teams. */
const RETRIED_NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

function retryWait(response: PipelineResponseLike, turn: TurnRetry): number | undefined {
  const { status } = response;
  if (status === 429 || status === 503) {
    const after = retryAfterMs(response.headers);
    if (after !== undefined) return after <= turn.maxRetryAfterMs ? after : undefined;
    return status === 503 ? turn.pauseMs : undefined;
  }
  return status === 408 || (status >= 500 && status !== 501) ? turn.pauseMs : undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
