import type { TeamsAdapter } from '@microsoft/teams-ai';
import { CardFactory, MessageFactory, TurnContext, type ConversationParameters } from 'botbuilder';
import { SendError, type ConversationReference, type Messenger } from '../ports/messenger.port';
import { installConnectorHook, runFailingFast } from './connector-retries';
import { retryAfterMs } from './retry-after';

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
 * policy from the connector clients created for its own calls (see connector-retries.ts).
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

  async sendCard(reference: ConversationReference, card: object, summary?: string): Promise<{ activityId?: string }> {
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
            const response = await ctx.sendActivity(cardMessage(card, summary));
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

  async updateCard(reference: ConversationReference, activityId: string, card: object, summary?: string): Promise<void> {
    // PUT …/conversations/<id>/activities/<activityId> ("updateActivity"), into the conversation of the reference.
    const { activityId: _incoming, ...target } = reference as Record<string, unknown>;
    let failure: unknown;
    await this.failFast(async () => {
      try {
        await this.adapter.continueConversationAsync(this.appId, target, async (ctx) => {
          // Caught here, as in sendCard: an error thrown inside the turn would go to onTurnError.
          try {
            await ctx.updateActivity({ ...cardMessage(card, summary), id: activityId, type: 'message' });
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
    return runFailingFast(this.timeoutMs, call);
  }
}

/**
 * A card message. Without `summary` Teams shows a card as "DealDesk sent a card" in its notification and chat
 * list; with it, that line (desktop, web and iOS; Android's locked-screen push shows the generic line whatever
 * the activity says, unless it also has `text`, which would print the line again above the card).
 */
function cardMessage(card: object, summary: string | undefined) {
  const message = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  if (summary) message.summary = summary;
  return message;
}

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
    result = new SendError(status, code, message, retryAfterMs(e.response?.headers), subCode);
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

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** Drops undefined fields, so the reference stores cleanly as JSON. */
function clean<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
