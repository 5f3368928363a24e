import assert from 'node:assert/strict';
import type { Container } from '@azure/cosmos';
import { MAX_REQUEST_BYTES } from '../../src/local/item-size-limit';
import { startTestStore, type TestStore } from '../support/embedded-store';

/** A document whose JSON is exactly `bytes` long (UTF-8), as @azure/cosmos sends it. */
function itemOf(id: string, bytes: number, char = 'x'): Record<string, string> {
  const empty = Buffer.byteLength(JSON.stringify({ id, tenantId: 't', type: 'probe', text: '' }));
  const width = Buffer.byteLength(char);
  const text = char.repeat(Math.floor((bytes - empty) / width)) + 'x'.repeat((bytes - empty) % width);
  const item = { id, tenantId: 't', type: 'probe', text };
  assert.equal(Buffer.byteLength(JSON.stringify(item)), bytes);
  return item;
}

/** What the SDK throws, or undefined when the call succeeded. */
async function failure(call: () => Promise<unknown>): Promise<{ code?: unknown; body?: { code?: string; message?: string } } | undefined> {
  try {
    await call();
    return undefined;
  } catch (e) {
    return e as { code?: unknown; body?: { code?: string; message?: string } };
  }
}

/** Azure's refusal of an item over 2 MB: 413, RequestEntityTooLarge, "Request size is too large", no substatus. */
function assertTooLarge(e: Awaited<ReturnType<typeof failure>>): void {
  assert.ok(e, 'the write was refused');
  assert.equal(e.code, 413);
  assert.equal(e.body?.code, 'RequestEntityTooLarge');
  assert.match(e.body?.message ?? '', /Request size is too large/);
  assert.equal((e as { substatus?: unknown }).substatus, undefined);
}

describe('the embedded store refuses items over 2 MB, as Azure Cosmos DB does (issue 14, item 7)', () => {
  let t: TestStore;
  let container: Container;

  before(async () => {
    t = await startTestStore();
    container = t.database.container('settings'); // one-path key (/tenantId): the probes need no second level
  });
  after(async () => t?.stop());

  it('a create of 2 MB + 1 byte is refused with 413 RequestEntityTooLarge, and nothing is stored', async () => {
    assertTooLarge(await failure(() => container.items.create(itemOf('big-create', MAX_REQUEST_BYTES + 1))));
    const { resource } = await container.item('big-create', 't').read();
    assert.equal(resource, undefined);
  });

  it('exactly 2 MB is stored (multi-byte text counts in UTF-8 bytes)', async () => {
    await container.items.create(itemOf('at-limit', MAX_REQUEST_BYTES, '中'));
    const { resource } = await container.item('at-limit', 't').read();
    assert.equal(Buffer.byteLength(JSON.stringify({ id: resource.id, tenantId: 't', type: 'probe', text: resource.text })), MAX_REQUEST_BYTES);
  });

  it('a replace or an upsert over 2 MB is refused and the stored item stays as it was', async () => {
    const { resource } = await container.items.create(itemOf('grows', 1000));
    assertTooLarge(await failure(() => container.item('grows', 't').replace(itemOf('grows', MAX_REQUEST_BYTES + 10, '中'), { accessCondition: { type: 'IfMatch', condition: resource!._etag } })));
    assertTooLarge(await failure(() => container.items.upsert(itemOf('grows', 3 * 1024 * 1024))));
    const { resource: after } = await container.item('grows', 't').read();
    assert.equal(after._etag, resource!._etag);
    assert.equal(after.text.length, itemOf('grows', 1000).text.length);
  });

  it('reads and queries of stored items are not affected', async () => {
    const { resources } = await container.items.query({ query: "SELECT c.id FROM c WHERE c.type = 'probe' AND c.tenantId = @t", parameters: [{ name: '@t', value: 't' }] }).fetchAll();
    assert.deepEqual(resources.map((r) => r.id).sort(), ['at-limit', 'grows']);
  });
});
