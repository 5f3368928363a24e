import type { AlertChange } from '../domain/alert';
import type { Person } from '../domain/person';
import type { Locale } from '../i18n/locale';

/** Where a delivery stands; every outcome of every attempt lands here. */
export type DeliveryState =
  | 'queued' // waiting for its first attempt
  | 'sending' // claimed by an instance (lease) and being sent
  | 'sent'
  | 'retrying' // a transient failure (5xx, 412, network); tried again after a backoff
  | 'throttled' // a 429; tried again after Retry-After
  | 'blocked' // the user blocked DealDesk (403 ConversationBlockedByUser): final
  | 'notInstalled' // the app is not in that conversation (403 BotNotInConversationRoster, 404): final until reinstalled
  | 'failed'; // a final error, or retries exhausted

export const FINAL_STATES: readonly DeliveryState[] = ['sent', 'blocked', 'notInstalled', 'failed'];

/** Who an alert goes to: a channel (or group chat) that follows the deal, or a deal team member 1:1. */
export interface Recipient {
  kind: 'channel' | 'person';
  /** Unique per alert: the conversation id for a channel, the person's AAD object id for a person. */
  key: string;
  name: string;
  locale: Locale;
}

/** What the alert card shows, frozen when the alert is fanned out. */
export interface AlertSnapshot {
  id: string;
  tenantId: string;
  dealId: string;
  title: string;
  account: string;
  changes: AlertChange[];
  actors: Person[];
  at: string;
}

export interface DeliveryError {
  status?: number;
  code?: string;
  message: string;
}

/** One alert to one recipient. Its id is the idempotency key `<alert id>|<recipient key>`. */
export interface Delivery {
  id: string;
  tenantId: string;
  alert: AlertSnapshot;
  recipient: Recipient;
  state: DeliveryState;
  attempts: number;
  /** When it may be tried (again). */
  nextAttemptAt: string;
  /** The instance working on it and until when; another instance takes over after `until`. */
  lease?: { owner: string; until: string };
  lastError?: DeliveryError;
  sentAt?: string;
  /** The instance that sent it (which of several DealDesk processes did the work). */
  sentBy?: string;
  activityId?: string;
  createdAt: string;
  updatedAt: string;
}

export const deliveryId = (alertId: string, recipientKey: string): string =>
  `${alertId}|${Buffer.from(recipientKey, 'utf8').toString('base64url')}`;
