import type { Notice } from './approval';
import type { Locale } from './locale';
import type { AlertSnapshot, ProactiveCard } from './proactive-card';

export type { AlertSnapshot };

/** Where a delivery stands; every outcome of every attempt lands here. */
export type OutgoingMessageState =
  | 'queued' // waiting for its first attempt
  | 'sending' // claimed by an instance (lease) and being sent
  | 'sent'
  | 'retrying' // a transient failure (5xx, 412, network); tried again after a backoff
  | 'throttled' // a 429; tried again after Retry-After
  | 'blocked' // the user blocked DealDesk (403 ConversationBlockedByUser): final
  | 'notInstalled' // the app is not in that conversation (403 BotNotInConversationRoster, 404): final until reinstalled
  | 'failed'; // a final error, or retries exhausted

export const FINAL_STATES: readonly OutgoingMessageState[] = ['sent', 'blocked', 'notInstalled', 'failed'];

/** Who a delivery goes to: a channel (or group chat), or a person 1:1. */
export interface Recipient {
  kind: 'channel' | 'person';
  /** Unique per alert or notice: the conversation id for a channel, the person's AAD object id for a person. */
  key: string;
  name: string;
  locale: Locale;
}

export interface SendFailure {
  status?: number;
  code?: string;
  message: string;
}

/** What a message carries: the card it is meant to be, as data (domain/proactive-card.ts). */
export type OutgoingMessagePayload = ProactiveCard;

/** Every delivery's bookkeeping, whatever it carries. */
interface OutgoingMessageFields {
  /** The idempotency key (see deliveryId, noticeMessageId, cardPostId, cardUpdateId). */
  id: string;
  tenantId: string;
  recipient: Recipient;
  state: OutgoingMessageState;
  attempts: number;
  /** When it may be tried (again). */
  nextAttemptAt: string;
  /** The instance working on it and until when; another instance takes over after `until`. */
  lease?: { owner: string; until: string };
  lastError?: SendFailure;
  sentAt?: string;
  /** The instance that sent it (which of several DealDesk processes did the work). */
  sentBy?: string;
  /** The message posted (for an approval card's post: the activity every later update replaces). */
  activityId?: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * One alert to one recipient, id `<alert id>|<base64url recipient key>`. Stored as it always was: the
 * snapshot in `alert`, no `payload` (so documents written before notices existed read as they are, and
 * `alerts <ref>` reads `alert`). `payloadOf` gives its payload.
 */
export interface AlertMessage extends OutgoingMessageFields {
  alert: AlertSnapshot;
  payload?: undefined;
  operation?: undefined;
}

/**
 * One approval notice to one recipient. `operation` is set on the approval card only: 'post' for the one
 * delivery that posts it (id `card|<deal id>`), 'update' for each later one that replaces that message in
 * place (id `card|<deal id>|<notice id>`). 1:1 notices (id `notice|<deal id>|<notice id>|<base64url key>`) have none.
 */
export interface NoticeMessage extends OutgoingMessageFields {
  payload: { type: 'notice'; dealId: string; notice: Notice };
  operation?: 'post' | 'update';
  alert?: undefined;
}

/**
 * A card DealDesk queued for one person by itself (a digest, a stale-deal nudge, an install notice to a deal's
 * owner), its data frozen when it was queued: id `<kind>|<person>|<period>` (or `install|<deal>|<member>`), so one
 * period never sends two. Stored before intents existed, its payload is the rendered card ({ type: 'card' }).
 */
export interface CardMessage extends OutgoingMessageFields {
  payload: Exclude<ProactiveCard, { type: 'alert' | 'notice' }>;
  operation?: undefined;
  alert?: undefined;
}

/** What the dispatcher creates, the worker sends and the repository stores. */
export type OutgoingMessage = AlertMessage | NoticeMessage | CardMessage;

/** A card queued by itself for one person (a digest, a nudge, an install notice), whatever it carries. */
export const isCardMessage = (delivery: OutgoingMessage): delivery is CardMessage => delivery.payload !== undefined && delivery.payload.type !== 'notice';

/** A card for one person, queued at `at` under the idempotency key `id` (its kind, person and period). */
export const cardMessage = (tenantId: string, id: string, recipient: Recipient, card: CardMessage['payload'], at: string): CardMessage => ({
  id,
  tenantId,
  recipient,
  payload: card,
  state: 'queued',
  attempts: 0,
  nextAttemptAt: at,
  createdAt: at,
  updatedAt: at,
});

/** The payload of any delivery; alert deliveries carry theirs in `alert`. */
export const isNoticeMessage = (delivery: OutgoingMessage): delivery is NoticeMessage => delivery.payload?.type === 'notice';

export const payloadOf = (delivery: OutgoingMessage): OutgoingMessagePayload =>
  delivery.payload ?? { type: 'alert', alert: (delivery as AlertMessage).alert };

/** The deal a delivery is about ('' for a card about none, such as a digest). */
export const dealIdOfMessage = (delivery: OutgoingMessage): string =>
  delivery.payload ? ('dealId' in delivery.payload ? (delivery.payload.dealId ?? '') : '') : (delivery as AlertMessage).alert.dealId;

const keyPart = (recipientKey: string) => Buffer.from(recipientKey, 'utf8').toString('base64url');

export const alertMessageId = (alertId: string, recipientKey: string): string => `${alertId}|${keyPart(recipientKey)}`;

/** A 1:1 notice (or a notice that could not be routed) to one recipient. */
export const noticeMessageId = (dealId: string, noticeId: string, recipientKey: string): string =>
  `notice|${dealId}|${noticeId}|${keyPart(recipientKey)}`;

/** The one delivery that posts a deal's approval card, ever. */
export const cardPostId = (dealId: string): string => `card|${dealId}`;

/** How long a finished delivery is kept by default, in days (DELIVERY_RETENTION_DAYS). */
export const DEFAULT_MESSAGE_RETENTION_DAYS = 30;

/**
 * Whether a delivery expires once it is finished (FINAL_STATES): every one does, but a deal's approval-card post
 * (`card|<deal>`). That one is the deal's record of the message in the approvals channel, rewritten in place, which every
 * later update of the card replaces and whose id makes sure the card is posted once, ever: it lives as long as its
 * deal, closed or not (a closed deal may be reopened and asked to be approved again, and its card is then updated where
 * it was posted), and DealDesk keeps deals for good. One per deal that ever asked for approval, so it grows with the
 * deals, never with time.
 */
export const expiresWhenFinished = (delivery: OutgoingMessage): boolean => delivery.id !== cardPostId(dealIdOfMessage(delivery));

/** A later approval-card notice: an update in place of the posted card. */
export const cardUpdateId = (dealId: string, noticeId: string): string => `card|${dealId}|${noticeId}`;

/**
 * Thrown by a renderer (or found by the worker) when a delivery can never be sent as it is: the delivery
 * is recorded as failed with this code and message, without a send and without retries.
 */
export class UnsendableError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnsendableError';
  }
}
