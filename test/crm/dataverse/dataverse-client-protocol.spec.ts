import assert from 'node:assert/strict';
import { DataverseClient } from '../../../src/crm/dataverse/dataverse-client';
import { CrmSendError } from '../../../src/ports/crm-target.port';
import { FakeDataverse } from '../../support/fake-dataverse';

/**
 * The connector's Dataverse client against the local Dataverse: what it returns, what it throws, and its one retry
 * with a fresh token, as the target and the poller rely on them.
 */
describe('DataverseClient against the local Dataverse', () => {
  let dv: FakeDataverse;
  let asked: boolean[];
  let client: DataverseClient;

  beforeEach(async () => {
    dv = await FakeDataverse.start({ pageSize: 2 });
    asked = [];
    let cached: string | undefined;
    client = new DataverseClient({
      url: dv.url,
      timeoutMs: 2000,
      token: async (_signal, fresh) => {
        asked.push(Boolean(fresh));
        if (fresh || !cached) cached = dv.token('dealdesk-app');
        return cached;
      },
    });
  });
  afterEach(() => dv.close());

  const failure = async (promise: Promise<unknown>): Promise<CrmSendError> => {
    const e = await promise.then(() => undefined, (error: unknown) => error);
    assert.ok(e instanceof CrmSendError, String(e));
    return e;
  };

  it('an expired token is answered 401 once, then the request goes through with a fresh one', async () => {
    const id = dv.createOpportunity({ name: 'Deal' });
    await client.request('GET', `opportunities(${id})`);
    dv.expireTokens();
    const read = await client.request<{ name: string }>('GET', `opportunities(${id})?$select=name`);
    assert.equal(read.body?.name, 'Deal');
    assert.equal(read.etag, `W/"${dv.opportunity(id)!.versionnumber}"`);
    assert.deepEqual(asked, [false, false, true]);
    assert.deepEqual(dv.requests.map((r) => r.status), [200, 401, 200]);
  });

  it('412 and 404 come back as answers; the ETag and OData-EntityId of a write too', async () => {
    const id = dv.createOpportunity({ name: 'Deal' });
    const stale = `W/"${dv.opportunity(id)!.versionnumber}"`;
    dv.editOpportunity(id, { name: 'Changed in the CRM' });
    assert.equal((await client.request('PATCH', `opportunities(${id})`, { body: { name: 'Mine' }, ifMatch: stale })).status, 412);
    assert.equal((await client.request('GET', 'opportunities(00000000-0000-0000-0000-00000000dead)')).status, 404);
    const created = await client.request('POST', 'opportunities', { body: { name: 'New' } });
    assert.equal(created.status, 204);
    assert.match(created.entityId ?? '', /\/api\/data\/v9\.2\/opportunities\([0-9a-f-]{36}\)$/);
    assert.equal(created.etag, `W/"${dv.opportunities().find((o) => o.name === 'New')!.versionnumber}"`);
  });

  it('service protection (429) throws with the Retry-After in ms and Dataverse\'s code; a missing privilege (403) throws with its code', async () => {
    dv.limitRequests(1, 300_000);
    await client.request('GET', 'opportunities');
    const throttled = await failure(client.request('GET', 'opportunities'));
    assert.deepEqual([throttled.status, throttled.retryAfterMs, throttled.code], [429, 300_000, '0x80072322']);
    dv.limitRequests(100, 300_000);
    dv.revokePermission('accounts');
    const refused = await failure(client.request('POST', 'accounts', { body: { name: 'Contoso' } }));
    assert.deepEqual([refused.status, refused.code], [403, '0x80040220']);
  });

  it('follows absolute next and delta links of the environment, and refuses a link to another host', async () => {
    for (const name of ['A', 'B', 'C']) dv.createOpportunity({ name });
    type Page = { value: Array<{ name: string }>; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };
    let page = (await client.request<Page>('GET', 'opportunities?$select=name', { prefer: ['odata.track-changes'] })).body!;
    const names = page.value.map((o) => o.name);
    while (page['@odata.nextLink']) {
      page = (await client.request<Page>('GET', page['@odata.nextLink'])).body!;
      names.push(...page.value.map((o) => o.name));
    }
    assert.deepEqual(names.sort(), ['A', 'B', 'C']);
    assert.ok(page['@odata.deltaLink']);
    assert.deepEqual((await client.request<Page>('GET', page['@odata.deltaLink'])).body!.value, []);
    const foreign = await failure(client.request('GET', 'https://elsewhere.example/api/data/v9.2/opportunities'));
    assert.equal(foreign.code, 'foreignLink');
  });
});
