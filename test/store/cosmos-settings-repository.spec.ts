import assert from 'node:assert/strict';
import type { ApprovalPolicy } from '../../src/domain/approval-policy';
import { DEFAULT_APPROVAL_POLICY } from '../../src/domain/default-approval-policy';
import { ConcurrentUpdateError } from '../../src/ports/deal-repository.port';
import type { ApprovalsChannel, SettingsRepository } from '../../src/ports/settings-repository.port';
import { startTestStore, type TestStore } from '../support/embedded-store';

const ADELE = { id: 'aad-adele', name: 'Adele Vance' };
const MEGAN = { id: 'aad-megan', name: 'Megan Bowen' };
const T0 = '2026-03-02T09:00:00.000Z';
const T1 = '2026-03-02T10:00:00.000Z';

/** The seed with Adele as the manager level's approver and a lower discount threshold. */
const edited = (discountPct = 10): ApprovalPolicy => {
  const policy = structuredClone(DEFAULT_APPROVAL_POLICY);
  policy.levels[0].approvers = [ADELE];
  policy.discountPct = discountPct;
  return policy;
};

describe('CosmosSettingsRepository (embedded Cosmos server)', () => {
  let t: TestStore;
  let settings: SettingsRepository;
  let n = 0;
  let tenantA: string;
  let tenantB: string;

  before(async () => {
    t = await startTestStore();
    settings = t.store.settings;
  });
  after(async () => t?.stop());
  beforeEach(() => {
    n += 1;
    tenantA = `tenant-a-${n}`;
    tenantB = `tenant-b-${n}`;
  });

  describe('the approval policy', () => {
    it('is the seed, without an etag, while none is stored', async () => {
      assert.deepEqual(await settings.getPolicy(tenantA), { policy: DEFAULT_APPROVAL_POLICY });
    });

    it('hands out a copy of the seed: changing it changes neither the seed nor the next read', async () => {
      const { policy } = await settings.getPolicy(tenantA);
      assert.notEqual(policy, DEFAULT_APPROVAL_POLICY);
      policy.levels[0].approvers.push(ADELE);
      policy.fxToUsd.EUR = 2;
      policy.managerNwsUsd = 1;
      assert.deepEqual(DEFAULT_APPROVAL_POLICY.levels[0].approvers, []);
      assert.equal(DEFAULT_APPROVAL_POLICY.fxToUsd.EUR, 1.08);
      assert.equal(DEFAULT_APPROVAL_POLICY.managerNwsUsd, 1_000_000);
      assert.deepEqual((await settings.getPolicy(tenantA)).policy, DEFAULT_APPROVAL_POLICY);
    });

    it('saved over the seed (no etag) reads back as saved, with an etag, in one typed document', async () => {
      await settings.savePolicy(tenantA, edited());
      const stored = await settings.getPolicy(tenantA);
      assert.deepEqual(stored.policy, edited());
      assert.equal(typeof stored.etag, 'string');
      const { resource } = await t.database.container('settings').item('approval-policy', tenantA).read();
      assert.equal(resource?.type, 'approvalPolicy');
      assert.equal(resource?.tenantId, tenantA);
      assert.deepEqual(resource?.policy, edited());
    });

    it('saved again with the current etag replaces it, and the etag changes', async () => {
      await settings.savePolicy(tenantA, edited(10));
      const first = await settings.getPolicy(tenantA);
      await settings.savePolicy(tenantA, edited(12), first.etag);
      const second = await settings.getPolicy(tenantA);
      assert.equal(second.policy.discountPct, 12);
      assert.notEqual(second.etag, first.etag);
    });

    it('saved with a stale etag is refused (ConcurrentUpdateError) and the other save stays', async () => {
      await settings.savePolicy(tenantA, edited(10));
      const read = await settings.getPolicy(tenantA);
      await settings.savePolicy(tenantA, edited(12), read.etag);
      await assert.rejects(settings.savePolicy(tenantA, edited(20), read.etag), ConcurrentUpdateError);
      assert.equal((await settings.getPolicy(tenantA)).policy.discountPct, 12);
    });

    it('saved over the seed after someone else saved first is refused (ConcurrentUpdateError)', async () => {
      const seenByBoth = await settings.getPolicy(tenantA);
      assert.equal(seenByBoth.etag, undefined);
      await settings.savePolicy(tenantA, edited(10), seenByBoth.etag);
      await assert.rejects(settings.savePolicy(tenantA, edited(20), seenByBoth.etag), ConcurrentUpdateError);
      assert.equal((await settings.getPolicy(tenantA)).policy.discountPct, 10);
    });

    it('of four racing saves over the seed, exactly one wins', async () => {
      const results = await Promise.allSettled([10, 11, 12, 13].map((pct) => settings.savePolicy(tenantA, edited(pct))));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof ConcurrentUpdateError);
    });

    it('is per tenant: saving in one leaves the other on the seed, and etags do not cross', async () => {
      await settings.savePolicy(tenantA, edited(10));
      assert.deepEqual(await settings.getPolicy(tenantB), { policy: DEFAULT_APPROVAL_POLICY });
      await settings.savePolicy(tenantB, edited(30));
      const a = await settings.getPolicy(tenantA);
      const b = await settings.getPolicy(tenantB);
      assert.equal(a.policy.discountPct, 10);
      assert.equal(b.policy.discountPct, 30);
      await settings.savePolicy(tenantA, edited(11), a.etag);
      assert.equal((await settings.getPolicy(tenantB)).policy.discountPct, 30);
    });
  });

  describe('the approvals channel', () => {
    const channel: ApprovalsChannel = { conversationId: '19:approvals@thread.tacv2', name: 'Deal approvals', setBy: ADELE, setAt: T0 };

    it('is unset at first', async () => {
      assert.equal(await settings.getApprovalsChannel(tenantA), undefined);
    });

    it('reads back as set, in its own typed document', async () => {
      await settings.setApprovalsChannel(tenantA, channel);
      assert.deepEqual(await settings.getApprovalsChannel(tenantA), channel);
      const { resource } = await t.database.container('settings').item('approvals-channel', tenantA).read();
      assert.equal(resource?.type, 'approvalsChannel');
    });

    it('without a name reads back without one', async () => {
      const { name: _name, ...unnamed } = channel;
      await settings.setApprovalsChannel(tenantA, unnamed);
      assert.deepEqual(await settings.getApprovalsChannel(tenantA), unnamed);
    });

    it('set again replaces it (the last write wins), name included', async () => {
      await settings.setApprovalsChannel(tenantA, channel);
      const moved: ApprovalsChannel = { conversationId: '19:deal-desk@thread.tacv2', setBy: MEGAN, setAt: T1 };
      await settings.setApprovalsChannel(tenantA, moved);
      assert.deepEqual(await settings.getApprovalsChannel(tenantA), moved);
    });

    it('is per tenant, and does not disturb the policy', async () => {
      await settings.savePolicy(tenantA, edited(10));
      await settings.setApprovalsChannel(tenantA, channel);
      assert.equal(await settings.getApprovalsChannel(tenantB), undefined);
      assert.equal((await settings.getPolicy(tenantA)).policy.discountPct, 10);
    });
  });
});
