import assert from 'node:assert/strict';
import type { Follow, FollowRepository } from '../../src/ports/follow-repository.port';
import { startTestStore, type TestStore } from '../support/embedded-store';

const T0 = '2026-03-02T09:00:00.000Z';
const T1 = '2026-03-02T10:00:00.000Z';
const T2 = '2026-03-02T11:00:00.000Z';
// Teams channel ids carry ':' '@' ';' and may carry '/', none of which may appear raw in a Cosmos id.
const SALES = '19:sales/emea?x#y@thread.tacv2';
const OPS = '19:ops@thread.tacv2';

const dealFollow = (tenantId: string, conversationId: string, dealId: string, createdAt = T0): Follow => ({
  tenantId,
  conversationId,
  target: { kind: 'deal', dealId },
  createdAt,
});
const accountFollow = (tenantId: string, conversationId: string, account: string, createdAt = T0): Follow => ({
  tenantId,
  conversationId,
  target: { kind: 'account', account },
  createdAt,
});

describe('CosmosFollowRepository (embedded Cosmos server)', () => {
  let t: TestStore;
  let follows: FollowRepository;
  let n = 0;
  let tenantA: string;
  let tenantB: string;

  before(async () => {
    t = await startTestStore();
    follows = t.store.follows;
  });
  after(async () => t?.stop());
  beforeEach(() => {
    n += 1;
    tenantA = `tenant-a-${n}`;
    tenantB = `tenant-b-${n}`;
  });

  it('follows once: the second follow of the same target is false', async () => {
    assert.equal(await follows.follow(dealFollow(tenantA, SALES, 'D-1001')), true);
    assert.equal(await follows.follow(dealFollow(tenantA, SALES, 'D-1001', T1)), false);
    assert.deepEqual(await follows.listByConversation(tenantA, SALES), [dealFollow(tenantA, SALES, 'D-1001')]);
  });

  it('treats the same account in another case or spacing as the same follow', async () => {
    assert.equal(await follows.follow(accountFollow(tenantA, SALES, 'Contoso Ltd')), true);
    assert.equal(await follows.follow(accountFollow(tenantA, SALES, '  CONTOSO   ltd ')), false);
    assert.equal(await follows.unfollow(tenantA, SALES, { kind: 'account', account: 'contoso ltd' }), true);
    assert.deepEqual(await follows.listByConversation(tenantA, SALES), []);
  });

  it('unfollows what was followed; unfollowing anything else is false', async () => {
    await follows.follow(dealFollow(tenantA, SALES, 'D-1001'));
    assert.equal(await follows.unfollow(tenantA, SALES, { kind: 'deal', dealId: 'D-9999' }), false);
    assert.equal(await follows.unfollow(tenantA, OPS, { kind: 'deal', dealId: 'D-1001' }), false);
    assert.equal(await follows.unfollow(tenantB, SALES, { kind: 'deal', dealId: 'D-1001' }), false);
    assert.equal(await follows.unfollow(tenantA, SALES, { kind: 'deal', dealId: 'D-1001' }), true);
    assert.equal(await follows.unfollow(tenantA, SALES, { kind: 'deal', dealId: 'D-1001' }), false);
    // Following again after an unfollow works.
    assert.equal(await follows.follow(dealFollow(tenantA, SALES, 'D-1001')), true);
  });

  it('keeps a deal follow and an account follow of one conversation apart', async () => {
    // An account that happens to be spelled like a deal id is still a different target.
    assert.equal(await follows.follow(dealFollow(tenantA, SALES, 'D-1001')), true);
    assert.equal(await follows.follow(accountFollow(tenantA, SALES, 'D-1001', T1)), true);
    assert.equal((await follows.listByConversation(tenantA, SALES)).length, 2);
  });

  it('lists a conversation’s follows oldest first, with the account as the follower spelled it', async () => {
    await follows.follow(accountFollow(tenantA, SALES, ' Fabrikam ', T1));
    await follows.follow(dealFollow(tenantA, SALES, 'D-1002', T0));
    await follows.follow(dealFollow(tenantA, SALES, 'D-1003', T2));
    await follows.follow(dealFollow(tenantA, OPS, 'D-1001'));
    await follows.follow(dealFollow(tenantB, SALES, 'D-1004'));
    assert.deepEqual(await follows.listByConversation(tenantA, SALES), [
      dealFollow(tenantA, SALES, 'D-1002', T0),
      accountFollow(tenantA, SALES, 'Fabrikam', T1),
      dealFollow(tenantA, SALES, 'D-1003', T2),
    ]);
    assert.deepEqual(await follows.listByConversation(tenantB, SALES), [dealFollow(tenantB, SALES, 'D-1004')]);
    assert.deepEqual(await follows.listByConversation(tenantA, '19:nobody@thread.tacv2'), []);
  });

  it('records who made a follow; following again keeps the first follower, and records one on a follow that had none', async () => {
    const ALEX = { id: 'aad-alex', name: 'Alex Wilber' };
    const PATTI = { id: 'aad-patti', name: 'Patti Fernandez' };
    assert.equal(await follows.follow({ ...dealFollow(tenantA, SALES, 'D-1001'), followedBy: ALEX }), true);
    assert.equal(await follows.follow({ ...dealFollow(tenantA, SALES, 'D-1001', T1), followedBy: PATTI }), false);
    assert.deepEqual(await follows.listByConversation(tenantA, SALES), [{ ...dealFollow(tenantA, SALES, 'D-1001'), followedBy: ALEX }]);
    // Made before follows recorded their follower (older data):
    assert.equal(await follows.follow(accountFollow(tenantA, OPS, 'Contoso')), true);
    assert.equal(await follows.follow(accountFollow(tenantA, OPS, 'contoso', T1)), false, 'nobody to record: nothing changes');
    assert.equal(await follows.follow({ ...accountFollow(tenantA, OPS, 'CONTOSO', T1), followedBy: PATTI }), true);
    assert.deepEqual(await follows.followersOf(tenantA, 'D-7', 'contoso'), [{ ...accountFollow(tenantA, OPS, 'Contoso'), followedBy: PATTI }]);
    // Two people recording at once: one of them is the follower.
    await follows.follow(dealFollow(tenantA, OPS, 'D-1002'));
    const raced = await Promise.all([ALEX, PATTI].map((p) => follows.follow({ ...dealFollow(tenantA, OPS, 'D-1002', T1), followedBy: p })));
    assert.deepEqual(raced.filter(Boolean).length, 1);
    const [recorded] = (await follows.listByConversation(tenantA, OPS)).filter((f) => f.target.kind === 'deal');
    assert.ok([ALEX.id, PATTI.id].includes(recorded!.followedBy!.id));
  });

  describe('followersOf', () => {
    it('returns the follows of the deal and of its account (any case), nothing else', async () => {
      await follows.follow(dealFollow(tenantA, SALES, 'D-1001', T0));
      await follows.follow(accountFollow(tenantA, OPS, 'CONTOSO', T1));
      await follows.follow(accountFollow(tenantA, SALES, 'Contoso', T2));
      await follows.follow(dealFollow(tenantA, '19:other@thread.tacv2', 'D-1002'));
      await follows.follow(accountFollow(tenantA, '19:other@thread.tacv2', 'Fabrikam'));
      const found = await follows.followersOf(tenantA, 'D-1001', 'contoso');
      assert.deepEqual(found, [
        dealFollow(tenantA, SALES, 'D-1001', T0),
        accountFollow(tenantA, OPS, 'CONTOSO', T1),
        accountFollow(tenantA, SALES, 'Contoso', T2),
      ]);
      assert.deepEqual(
        (await follows.followersOf(tenantA, 'D-1001', ' Contoso ')).map((f) => f.conversationId),
        found.map((f) => f.conversationId),
      );
      assert.deepEqual(await follows.followersOf(tenantA, 'D-7777', 'Northwind'), []);
    });

    it('never returns another tenant’s follows', async () => {
      await follows.follow(dealFollow(tenantA, SALES, 'D-1001'));
      await follows.follow(accountFollow(tenantA, OPS, 'Contoso'));
      assert.deepEqual(await follows.followersOf(tenantB, 'D-1001', 'contoso'), []);
      await follows.follow(dealFollow(tenantB, SALES, 'D-1001'));
      assert.deepEqual(await follows.followersOf(tenantB, 'D-1001', 'contoso'), [dealFollow(tenantB, SALES, 'D-1001')]);
      assert.equal((await follows.followersOf(tenantA, 'D-1001', 'contoso')).length, 2);
    });
  });
});
