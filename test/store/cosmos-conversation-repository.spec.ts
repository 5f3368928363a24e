import assert from 'node:assert/strict';
import type { ConversationRecord, ConversationRepository } from '../../src/ports/conversation-repository.port';
import { startTestStore, type TestStore } from '../support/embedded-store';

const T0 = '2026-03-02T09:00:00.000Z';
const T1 = '2026-03-02T10:00:00.000Z';
const T2 = '2026-03-02T11:00:00.000Z';

function personalChat(tenantId: string, conversationId: string, userId: string, patch: Partial<ConversationRecord> = {}): ConversationRecord {
  return {
    tenantId,
    conversationId,
    conversationType: 'personal',
    userId,
    reference: { serviceUrl: 'https://smba.trafficmanager.net/emea/', conversation: { id: conversationId } },
    installed: true,
    updatedAt: T0,
    ...patch,
  };
}

describe('CosmosConversationRepository (embedded Cosmos server)', () => {
  let t: TestStore;
  let conversations: ConversationRepository;
  let n = 0;
  let tenantA: string;
  let tenantB: string;

  before(async () => {
    t = await startTestStore();
    conversations = t.store.conversations;
  });
  after(async () => t?.stop());
  beforeEach(() => {
    n += 1;
    tenantA = `tenant-a-${n}`;
    tenantB = `tenant-b-${n}`;
  });

  describe('findPersonalChat', () => {
    it('finds the 1:1 chat with a person, not channels, other people or other tenants', async () => {
      const chat = personalChat(tenantA, 'a:1on1-alex', 'aad-alex');
      await conversations.save(chat);
      await conversations.save(personalChat(tenantA, 'a:1on1-megan', 'aad-megan'));
      await conversations.save({ ...personalChat(tenantA, '19:general@thread.tacv2', 'aad-alex'), conversationType: 'channel' });
      await conversations.save(personalChat(tenantB, 'a:1on1-alex-b', 'aad-alex'));
      assert.deepEqual(await conversations.findPersonalChat(tenantA, 'aad-alex'), chat);
      assert.equal((await conversations.findPersonalChat(tenantB, 'aad-alex'))?.conversationId, 'a:1on1-alex-b');
      assert.equal(await conversations.findPersonalChat(tenantA, 'aad-nobody'), undefined);
      assert.equal(await conversations.findPersonalChat(`${tenantA}-empty`, 'aad-alex'), undefined);
    });

    it('prefers an installed chat, then the most recently updated', async () => {
      await conversations.save(personalChat(tenantA, 'a:old', 'aad-alex', { updatedAt: T0 }));
      await conversations.save(personalChat(tenantA, 'a:newer', 'aad-alex', { updatedAt: T1 }));
      await conversations.save(personalChat(tenantA, 'a:newest-uninstalled', 'aad-alex', { updatedAt: T2, installed: false }));
      assert.equal((await conversations.findPersonalChat(tenantA, 'aad-alex'))?.conversationId, 'a:newer');
      await conversations.setStatus(tenantA, 'a:newer', { installed: false });
      await conversations.setStatus(tenantA, 'a:old', { installed: false });
      assert.equal((await conversations.findPersonalChat(tenantA, 'aad-alex'))?.conversationId, 'a:newest-uninstalled');
    });
  });

  describe('setStatus', () => {
    it('marks a conversation blocked or uninstalled and leaves the rest as it was', async () => {
      const chat = personalChat(tenantA, '19:abc/def?x#y@thread.v2', 'aad-alex');
      await conversations.save(chat);
      await conversations.setStatus(tenantA, chat.conversationId, { blocked: true });
      assert.deepEqual(await conversations.get(tenantA, chat.conversationId), { ...chat, blocked: true });
      await conversations.setStatus(tenantA, chat.conversationId, { installed: false });
      assert.deepEqual(await conversations.get(tenantA, chat.conversationId), { ...chat, blocked: true, installed: false });
      await conversations.setStatus(tenantA, chat.conversationId, { installed: true, blocked: false });
      assert.deepEqual(await conversations.get(tenantA, chat.conversationId), { ...chat, blocked: false, installed: true });
    });

    it('is a no-op for an unknown conversation, another tenant’s, or an empty status', async () => {
      const chat = personalChat(tenantA, 'a:1on1', 'aad-alex');
      await conversations.save(chat);
      await conversations.setStatus(tenantA, 'a:unknown', { blocked: true });
      assert.equal(await conversations.get(tenantA, 'a:unknown'), undefined);
      await conversations.setStatus(tenantB, chat.conversationId, { blocked: true });
      assert.equal(await conversations.get(tenantB, chat.conversationId), undefined);
      await conversations.setStatus(tenantA, chat.conversationId, {});
      assert.deepEqual(await conversations.get(tenantA, chat.conversationId), chat);
    });

    it('does not touch the greeting marker of the same conversation', async () => {
      assert.equal(await conversations.claimGreeting(tenantA, 'a:1on1'), true);
      await conversations.setStatus(tenantA, 'a:1on1', { blocked: true });
      assert.equal(await conversations.claimGreeting(tenantA, 'a:1on1'), false);
      assert.equal(await conversations.get(tenantA, 'a:1on1'), undefined);
    });
  });

  describe('save after a status change (a reinstall)', () => {
    it('clears blocked and sets installed again', async () => {
      const chat = personalChat(tenantA, 'a:1on1', 'aad-alex');
      await conversations.save(chat);
      await conversations.setStatus(tenantA, chat.conversationId, { blocked: true, installed: false });
      const reinstalled = { ...chat, reference: { ...chat.reference, serviceUrl: 'https://smba.trafficmanager.net/amer/' }, updatedAt: T1 };
      await conversations.save(reinstalled);
      const read = await conversations.get(tenantA, chat.conversationId);
      assert.deepEqual(read, reinstalled);
      assert.ok(!read?.blocked);
      assert.equal(read?.installed, true);
      assert.deepEqual(await conversations.findPersonalChat(tenantA, 'aad-alex'), reinstalled);
    });
  });
});
