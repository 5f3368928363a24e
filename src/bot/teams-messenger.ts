import { AsyncLocalStorage } from 'node:async_hooks';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import { CardFactory, MessageFactory, TurnContext, type CloudAdapter, type ConversationParameters } from 'botbuilder';
import { SendError, type ConversationReference, type Messenger } from '../ports/messenger.port';

/**
 * The Messenger port over the Bot Framework connector (Teams's `serviceUrl`).
 *
 * The delivery engine owns retries and rate limiting, so the connector calls made here must fail fast:
 * one HTTP request per call, and every failure turned into a SendError. botbuilder 4.23's HTTP pipeline
 * (@azure/core-rest-pipeline → @typespec/ts-http-runtime) has a `defaultRetryPolicy` that by itself
 * retries 429 and 503 after their Retry-After, other 5xx and 408 with exponential backoff (1 s, 2 s,
 * 4 s…), and ECONNREFUSED/ECONNRESET/ETIMEDOUT/ENOTFOUND: up to 3 retries. No ConnectorClientOptions
 * turns it off (`noRetryPolicy` and `retryOptions` are accepted by the type but never reach the pipeline,
 * and `requestPolicyFactories` is overwritten by the connector factory), so the messenger removes the
 * policy from the connector clients created for its own calls (see `disableSdkRetries`).
 */
export class TeamsMessenger implements Messenger {
  private readonly timeoutMs: number;

  constructor(
    private readonly adapter: TeamsAdapter,
    private readonly appId: string,
    options: { /** Per HTTP request; a timed-out send is a NetworkError (it may still have been delivered). */ timeoutMs?: number } = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    installConnectorHook(adapter);
  }

  async sendCard(reference: ConversationReference, card: object): Promise<{ activityId?: string }> {
    // A proactive card is a new message (POST …/activities, "sendToConversation"), not a reply
    // (POST …/activities/<id>): botbuilder would otherwise set replyToId to the reference's activityId, or
    // to the random id of its own continuation event when the reference has none.
    const { activityId: _replyTo, ...target } = reference as Record<string, unknown>;
    let id: string | undefined;
    let failure: unknown;
    await this.failFast(async () => {
      try {
        await this.adapter.continueConversationAsync(this.appId, target, async (ctx) => {
          // Caught here: an error thrown inside the turn would go to adapter.onTurnError (teams-ai's
          // app.error()) and never reach us.
          try {
            delete (ctx.activity as { id?: string }).id;
            const response = await ctx.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
            id = response?.id;
          } catch (err) {
            failure = err;
          }
        });
      } catch (err) {
        failure = err;
      }
    });
    if (failure !== undefined) throw toSendError(failure);
    return { activityId: id || undefined };
  }

  async updateCard(reference: ConversationReference, activityId: string, card: object): Promise<void> {
    // PUT …/conversations/<id>/activities/<activityId> ("updateActivity"), into the conversation of the reference.
    const { activityId: _incoming, ...target } = reference as Record<string, unknown>;
    let failure: unknown;
    await this.failFast(async () => {
      try {
        await this.adapter.continueConversationAsync(this.appId, target, async (ctx) => {
          // Caught here, as in sendCard: an error thrown inside the turn would go to onTurnError.
          try {
            await ctx.updateActivity({ ...MessageFactory.attachment(CardFactory.adaptiveCard(card)), id: activityId, type: 'message' });
          } catch (err) {
            failure = err;
          }
        });
      } catch (err) {
        failure = err;
      }
    });
    if (failure !== undefined) throw toSendError(failure);
  }

  async openPersonalChat(options: { tenantId: string; serviceUrl: string; userId: string }): Promise<ConversationReference> {
    const { tenantId, serviceUrl, userId } = options;
    // Teams's bot id is '28:<app id>'; in local mode (no app id) the bot is left out.
    const parameters = {
      isGroup: false,
      ...(this.appId ? { bot: { id: `28:${this.appId}`, name: '' } } : {}),
      members: [{ id: userId, name: '' }],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    } as ConversationParameters;
    let reference: Record<string, unknown> | undefined;
    try {
      await this.failFast(() =>
        this.adapter.createConversationAsync(
          this.appId,
          'msteams',
          serviceUrl,
          // undefined, not '': the audience picks the token scope (the default Bot Framework scope when undefined).
          undefined as unknown as string,
          parameters,
          async (ctx) => {
            reference = TurnContext.getConversationReference(ctx.activity) as unknown as Record<string, unknown>;
          },
        ),
      );
    } catch (err) {
      throw toSendError(err);
    }
    if (!reference) throw new SendError(undefined, 'NoConversation', 'createConversation returned no conversation');
    // The "activity" botbuilder made up for the new chat has the conversation id as its id: drop it
    // (it is no message to reply to), and fill in what a stored reference should carry.
    const conversation = { ...(reference.conversation as Record<string, unknown>), conversationType: 'personal', tenantId };
    const { activityId: _fake, ...rest } = reference;
    return clean({ ...rest, conversation, user: { id: userId }, channelId: 'msteams', serviceUrl });
  }

  private failFast<T>(call: () => Promise<T>): Promise<T> {
    return failFastScope.run({ timeoutMs: this.timeoutMs }, call);
  }
}

// ---- no SDK retries ------------------------------------------------------------------------------------

interface PipelineRequestLike {
  timeout: number;
}
interface PipelineLike {
  removePolicy(options: { name?: string; phase?: string }): unknown[];
  addPolicy(policy: { name: string; sendRequest(request: PipelineRequestLike, next: (r: PipelineRequestLike) => Promise<unknown>): Promise<unknown> }, options?: { phase?: 'Retry' }): void;
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

function installConnectorHook(adapter: CloudAdapter | TeamsAdapter): HookState {
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
    throw new Error('TeamsMessenger: cannot reach the connector client pipeline (botbuilder changed?)');
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
    const after = retryAfterMs({ response: { headers: response.headers } });
    if (after !== undefined) return after <= turn.maxRetryAfterMs ? after : undefined;
    return status === 503 ? turn.pauseMs : undefined;
  }
  return status === 408 || (status >= 500 && status !== 501) ? turn.pauseMs : undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---- error mapping -------------------------------------------------------------------------------------

interface RestErrorLike {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  details?: unknown;
  response?: { status?: number; bodyAsText?: string | null; parsedBody?: unknown; headers?: { get(name: string): string | undefined } };
}

/**
 * Turns what botbuilder throws into a SendError. What it throws (botbuilder 4.23.3, seen against a fake
 * connector): a `RestError` (name 'RestError', from @typespec/ts-http-runtime via core-rest-pipeline) with
 * `statusCode` (the HTTP status), `code` (the body's `error.code`, e.g. 'ConversationBlockedByUser'),
 * `message` (the body's `error.message`), `details` (the parsed body), and non-enumerable `response`
 * ({ status, headers (HttpHeaders with get()), bodyAsText, parsedBody }). Network failures are a
 * RestError with no statusCode and `code` = the system error ('ECONNREFUSED', …); a timeout is an
 * `AbortError` (name 'AbortError').
 */
export function toSendError(err: unknown): SendError {
  if (err instanceof SendError) return err;
  const e = (err ?? {}) as RestErrorLike;
  const status = typeof e.statusCode === 'number' ? e.statusCode : e.response?.status;
  let result: SendError;
  if (typeof status === 'number' && status > 0) {
    const body = errorBody(e);
    const code = str(body?.code) ?? (e.code && !/^E[A-Z]+$/.test(e.code) ? e.code : undefined);
    const message = str(body?.message) ?? e.message ?? `HTTP ${status}`;
    const subCode = str(body?.subCode) ?? str((body?.innerHttpError as Record<string, unknown> | undefined)?.subCode);
    result = new SendError(status, code, message, retryAfterMs(e), subCode);
  } else if (e.name === 'AbortError') {
    result = new SendError(undefined, 'NetworkError', `Request timed out or was aborted: ${e.message ?? ''}`.trim());
  } else if (e.name === 'RestError' || (typeof e.code === 'string' && /^(E[A-Z_]+|UND_ERR\w*|REQUEST_SEND_ERROR)$/.test(e.code))) {
    result = new SendError(undefined, 'NetworkError', `${e.code ?? 'network error'}: ${e.message ?? ''}`);
  } else {
    result = new SendError(undefined, 'UnknownError', e.message ?? String(err));
  }
  (result as Error & { cause?: unknown }).cause = err;
  return result;
}

/** The body's `error` object ({ code, message, subCode? }), or the body itself when it has no `error`. */
function errorBody(e: RestErrorLike): Record<string, unknown> | undefined {
  let parsed: unknown;
  const text = e.response?.bodyAsText;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  parsed ??= e.response?.parsedBody ?? e.details;
  if (!parsed || typeof parsed !== 'object') return undefined;
  const obj = parsed as Record<string, unknown>;
  const inner = obj.error && typeof obj.error === 'object' ? (obj.error as Record<string, unknown>) : obj;
  return { ...inner, subCode: inner.subCode ?? obj.subCode };
}

/** Retry-After (seconds or an HTTP date), or retry-after-ms / x-ms-retry-after-ms, in ms. */
function retryAfterMs(e: RestErrorLike, now = Date.now()): number | undefined {
  const headers = e.response?.headers;
  if (!headers || typeof headers.get !== 'function') return undefined;
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(headers.get(name));
    if (headers.get(name) && Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  }
  return parseRetryAfter(headers.get('retry-after'), now);
}

/** Parses a Retry-After header value (delta-seconds or an HTTP date) into ms from `now`. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value === null) return undefined;
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** Drops undefined fields, so the reference stores cleanly as JSON. */
function clean<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
