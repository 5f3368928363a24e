import { newDeal } from '../../src/domain/deal-draft';
import type { Store } from '../../src/ports/store.port';
import { contosoForm } from '../bot/deal-fixtures';

export const TENANT = 'tenant-reliability';
export const OWNER = { id: 'owner-aad', name: 'Alex Wilber' };
export const MEMBERS = 40;
export const CHANNELS = 160;

const reference = (serviceUrl: string, conversationId: string, conversationType: string) => ({
  channelId: 'msteams',
  serviceUrl,
  bot: { id: '28:dealdesk', name: 'DealDesk' },
  conversation: { id: conversationId, conversationType, tenantId: TENANT },
});

/**
 * A deal whose alert goes to 200 recipients: 40 deal team members (each with a 1:1 chat) and 160 channels
 * following it (or as many of each as `size` says). Returns the conversation ids that must each get the alert exactly once.
 */
export async function seedFanOut(store: Store, serviceUrl: string, dealNumber: number, size: { members?: number; channels?: number } = {}): Promise<string[]> {
  const { members = MEMBERS, channels = CHANNELS } = size;
  const now = new Date().toISOString();
  const deal = newDeal(contosoForm, { number: dealNumber, tenantId: TENANT, owner: OWNER, now });
  const conversations: string[] = [];
  for (let i = 0; i < members; i++) {
    const person = { id: `member-${dealNumber}-${i}`, name: `Member ${i}` };
    deal.team.push({ person, role: 'Consultant' });
    const conversationId = `a:member-${dealNumber}-${i}`;
    await store.people.upsert({ tenantId: TENANT, ...person, updatedAt: now });
    await store.conversations.save({ tenantId: TENANT, conversationId, conversationType: 'personal', userId: person.id, reference: reference(serviceUrl, conversationId, 'personal'), installed: true, updatedAt: now });
    conversations.push(conversationId);
  }
  for (let i = 0; i < channels; i++) {
    const conversationId = `19:channel-${dealNumber}-${i}@thread.tacv2`;
    await store.conversations.save({ tenantId: TENANT, conversationId, conversationType: 'channel', reference: reference(serviceUrl, conversationId, 'channel'), installed: true, updatedAt: now });
    await store.follows.follow({ tenantId: TENANT, conversationId, target: { kind: 'deal', dealId: deal.id }, createdAt: now, followedBy: OWNER });
    conversations.push(conversationId);
  }
  await store.deals.create(deal);
  return conversations;
}
