/**
 * Realistic data for the deal-team and alert cards (alert, team, following, delivery status, choose person),
 * shared by the template/sample checks and the hostile-text checks. cards/samples/{alert,team,following,
 * delivery-status}.json are exactly what the builders make of these (en-US).
 */
import type { AlertChange } from '../../src/domain/alert';
import type { Deal } from '../../src/domain/deal';
import { addTeamMember } from '../../src/domain/deal-team';
import type { Person } from '../../src/domain/person';
import type { AlertSnapshot, AlertMessage, Recipient } from '../../src/domain/outgoing-message';
import { alertMessageId } from '../../src/domain/outgoing-message';
import type { Follow } from '../../src/ports/follow-repository.port';
import type { PersonRecord } from '../../src/ports/people-repository.port';
import { ALEX, aDeal, MEGAN, TENANT } from '../domain/deal-fixture';

export const NESTOR: Person = { id: 'aad-nestor', name: 'Nestor Wilke' };
export const CHANNEL_ID = '19:3f2a8c1e9b7d4e6f@thread.tacv2';
export const ALERT_AT = '2026-11-20T10:05:00.000Z';

/** A stage move, a value change of more than 10 % and a later close date: every kind of alert change. */
export const ALERT_CHANGES: AlertChange[] = [
  { kind: 'stage', from: 'Qualify', to: 'Solution' },
  { kind: 'value', from: { amount: 1_500_000, currency: 'USD' }, to: { amount: 2_000_000, currency: 'USD' } },
  { kind: 'closeDate', from: '2027-03-31', to: '2027-06-30' },
];

export function anAlert(overrides: Partial<AlertSnapshot> = {}): AlertSnapshot {
  return {
    id: 'D-1042.A3',
    tenantId: TENANT,
    dealId: 'D-1042',
    title: 'Azure migration assessment',
    account: 'Contoso Bank',
    changes: ALERT_CHANGES,
    actors: [ALEX, MEGAN],
    at: ALERT_AT,
    ...overrides,
  };
}

/** D-1042 with an architect and a delivery manager on its team. */
export function teamDeal(overrides: Partial<Deal> = {}): Deal {
  let deal = aDeal();
  deal = addTeamMember(deal, { person: MEGAN, role: 'Architect' }, ALEX, '2026-11-10T09:00:00.000Z');
  deal = addTeamMember(deal, { person: NESTOR, role: 'Delivery manager' }, ALEX, '2026-11-10T09:01:00.000Z');
  return { ...deal, ...overrides };
}

export const FOLLOWS: Follow[] = [
  { tenantId: TENANT, conversationId: CHANNEL_ID, target: { kind: 'deal', dealId: 'D-1042' }, createdAt: '2026-11-12T08:00:00.000Z', followedBy: ALEX },
  // Made before follows recorded their follower: shown as paused.
  { tenantId: TENANT, conversationId: CHANNEL_ID, target: { kind: 'account', account: 'Contoso Bank' }, createdAt: '2026-11-12T08:01:00.000Z' },
];

export const channelRecipient = (name = 'Contoso Bank deal room'): Recipient => ({ kind: 'channel', key: CHANNEL_ID, name, locale: 'en-US' });
export const personRecipient = (person: Person): Recipient => ({ kind: 'person', key: person.id, name: person.name, locale: 'en-US' });

export function aDelivery(alert: AlertSnapshot, recipient: Recipient, state: AlertMessage['state'], extra: Partial<AlertMessage> = {}): AlertMessage {
  return {
    id: alertMessageId(alert.id, recipient.key),
    tenantId: alert.tenantId,
    alert,
    recipient,
    state,
    attempts: state === 'queued' ? 0 : 1,
    nextAttemptAt: alert.at,
    createdAt: alert.at,
    updatedAt: alert.at,
    ...extra,
  };
}

/** One alert with a delivery in each interesting state: sent (with time), retrying (an HTTP status), blocked (an error code). */
export function deliveryAlerts(alert = anAlert()): Array<{ alertId: string; deliveries: AlertMessage[] }> {
  return [
    {
      alertId: alert.id,
      deliveries: [
        aDelivery(alert, channelRecipient(), 'sent', { sentAt: '2026-11-20T10:05:02.000Z', activityId: '1732097102000' }),
        aDelivery(alert, personRecipient(MEGAN), 'retrying', { attempts: 2, lastError: { status: 503, message: 'Service Unavailable' } }),
        aDelivery(alert, personRecipient(NESTOR), 'blocked', { lastError: { status: 403, code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' } }),
      ],
    },
  ];
}

export const PEOPLE: PersonRecord[] = [
  { tenantId: TENANT, id: 'aad-megan', name: 'Megan Bowen', email: 'meganb@contoso.com', updatedAt: '2026-11-01T00:00:00.000Z' },
  { tenantId: TENANT, id: 'aad-megan-2', name: 'Megan Brown', updatedAt: '2026-11-01T00:00:00.000Z' },
];
