import assert from 'node:assert/strict';
import { CONTAINERS, LEGACY_CONTAINERS, SUCCESSOR_OF } from '../../src/store/containers';
import { conversationDocumentId } from '../../src/store/cosmos-conversation-repository';
import { documentIdOf } from '../../src/store/document-id';
import { PartitionKeyError, partitionKeyOf, withPartitionFields } from '../../src/store/partition-keys';

const TENANT = 'tenant-1';

describe('Partition keys: every growing container spreads over many logical partitions', () => {
  it('keys every container but settings on the tenant and a second level', () => {
    for (const { id, partitionKey } of CONTAINERS) {
      assert.equal(partitionKey[0], '/tenantId', `${id}: first level`);
      assert.equal(partitionKey.length, id === 'settings' ? 1 : 2, `${id}: levels`);
    }
    assert.deepEqual(
      LEGACY_CONTAINERS.map((c) => [c.id, c.partitionKey]),
      ['deals', 'conversations', 'people', 'follows', 'settings', 'deliveries', 'jobs'].map((id) => [id, ['/tenantId']]),
    );
    assert.deepEqual(new Set(Object.values(SUCCESSOR_OF)), new Set(CONTAINERS.map((c) => c.id)));
  });

  it('places two deals in two logical partitions, and a deal beside its archive documents', () => {
    const d1 = withPartitionFields('deals-v2', { id: 'D-1001', tenantId: TENANT, type: 'deal' });
    const d2 = withPartitionFields('deals-v2', { id: 'D-1002', tenantId: TENANT, type: 'deal' });
    const archive = withPartitionFields('deals-v2', { id: 'D-1001.history.0', tenantId: TENANT, type: 'dealArchive', dealId: 'D-1001' });
    assert.deepEqual(partitionKeyOf('deals-v2', d1), [TENANT, 'D-1001']);
    assert.deepEqual(partitionKeyOf('deals-v2', d2), [TENANT, 'D-1002']);
    assert.deepEqual(partitionKeyOf('deals-v2', archive), [TENANT, 'D-1001']);
  });

  it('places a person by their raw AAD id, beside their mutes and quotas', () => {
    const odd = 'odd/person';
    const person = withPartitionFields('people-v2', { id: documentIdOf(odd), tenantId: TENANT, type: 'person', name: 'Odd' });
    assert.deepEqual(partitionKeyOf('people-v2', person), [TENANT, odd]);
    const mute = { id: '~mute.x', tenantId: TENANT, type: 'mute', personId: odd, dealId: 'D-1' };
    assert.deepEqual(partitionKeyOf('people-v2', withPartitionFields('people-v2', mute)), [TENANT, odd]);
  });

  it('places a greeting marker in its conversation\'s partition, from its id alone', () => {
    const conversationId = '19:abc@thread.tacv2;messageid=1';
    const greeting = withPartitionFields('conversations-v2', { id: `greeting.${conversationDocumentId(conversationId)}`, tenantId: TENANT, type: 'greeting' });
    assert.deepEqual(partitionKeyOf('conversations-v2', greeting), [TENANT, conversationId]);
  });

  it('gives a delivery about no deal (a digest) its own partition, and a deal\'s deliveries the deal\'s', () => {
    const digest = withPartitionFields('deliveries-v2', { id: 'digest|aad-alex|2026-W48', tenantId: TENANT, dealId: '', payload: { type: 'card', card: {} } });
    assert.deepEqual(partitionKeyOf('deliveries-v2', digest), [TENANT, 'digest|aad-alex|2026-W48']);
    const alert = withPartitionFields('deliveries-v2', { id: 'D-1.A1|x', tenantId: TENANT, alert: { dealId: 'D-1' } });
    assert.deepEqual(partitionKeyOf('deliveries-v2', alert), [TENANT, 'D-1']);
    const post = withPartitionFields('deliveries-v2', { id: 'card|D-1', tenantId: TENANT, payload: { type: 'notice', dealId: 'D-1' } });
    assert.deepEqual(partitionKeyOf('deliveries-v2', post), [TENANT, 'D-1']);
  });

  it('refuses a document that lacks a key value, naming the path', () => {
    assert.throws(() => partitionKeyOf('deals-v2', { id: 'D-1', tenantId: TENANT }), (e: unknown) => e instanceof PartitionKeyError && /\/dealId/.test(e.message));
    assert.throws(() => partitionKeyOf('settings', { id: 'approval-policy', tenantId: '' }), PartitionKeyError);
    assert.throws(() => partitionKeyOf('people-v2', withPartitionFields('people-v2', { id: 'q', tenantId: TENANT, type: 'quota' })), /\/personId/);
  });
});
