import assert from 'node:assert/strict';
import { newDeal } from '../../src/domain/deal-draft';
import { observeQueries, type QueryExecution } from '../../src/local/query-engine-patch';
import { USERS } from '../support/activities';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { TENANT, contosoForm } from './deal-fixtures';
import { invoke, searchInvoke } from './compose-extension-invokes';

const OTHERS = 2_000;

/**
 * Issue 16: the compose box's Search deals (composeExtension/query through /api/messages) finds deals by their search
 * keys (the words of id, title and account and their prefixes; CJK pairs), one indexed ARRAY_CONTAINS per word typed,
 * so the query reads the deals carrying the words, not every deal of the tenant.
 */
describe('Search deals by the words of id, title and account (search keys), DEAL_VISIBILITY=team', function () {
  this.timeout(120_000);
  // Lynne is the admin (otherwise local mode makes Alex one).
  const h = new DealDeskHarness({ ADMINS: USERS.lynne.aadObjectId, DEAL_VISIBILITY: 'team' });
  const search = async (text: string, as: 'alex' | 'megan' | 'patti' = 'alex') => {
    const { status, body } = await invoke(h, searchInvoke(h, text, { as }));
    assert.equal(status, 200);
    return body.composeExtension.attachments.map((a: any) => /D-\d+/.exec(a.preview.content.text)?.[0]) as string[];
  };

  before(async () => {
    await h.start();
    for (const as of ['megan', 'patti'] as const) await h.say('help', { as });
    await h.press('deal.create', contosoForm); // D-1001, Alex's: Azure migration assessment, Contoso Bank
    await h.press('deal.create', { ...contosoForm, title: 'Azure 迁移评估', account: '上海银行' }); // D-1002, Alex's
    await h.press('deal.create', { ...contosoForm, title: 'Premier Support renewal', account: 'Fabrikam' }, { as: 'megan' }); // D-1003, Megan's
    await h.press('deal.create', { ...contosoForm, title: 'Data platform migration', account: 'Northwind Traders' }); // D-1004, Alex's
  });
  after(() => h.stop());

  it('the prefix of a word finds the deal, in any case, newest change first', async () => {
    assert.deepEqual(await search('migr'), ['D-1004', 'D-1001']);
    assert.deepEqual(await search('MiGrAtIoN'), ['D-1004', 'D-1001']);
    assert.deepEqual(await search('assess'), ['D-1001']);
  });

  it('a word of the account, and an id with or without its letter', async () => {
    assert.deepEqual(await search('traders'), ['D-1004']);
    assert.deepEqual(await search('Contoso bank'), ['D-1001']);
    assert.deepEqual(await search('d-1001'), ['D-1001']);
    assert.deepEqual(await search('1004'), ['D-1004']);
  });

  it('Chinese: a pair of characters, one character, the account', async () => {
    assert.deepEqual(await search('迁移'), ['D-1002']);
    assert.deepEqual(await search('评估'), ['D-1002']);
    assert.deepEqual(await search('迁'), ['D-1002']);
    assert.deepEqual(await search('上海'), ['D-1002']);
    assert.deepEqual(await search('azure 迁移'), ['D-1002']);
    assert.deepEqual(await search('迁估'), [], 'characters that are not neighbours in the title');
  });

  it('two words must both be there, in any order', async () => {
    assert.deepEqual(await search('azure assessment'), ['D-1001']);
    assert.deepEqual(await search('assessment azure'), ['D-1001']);
    assert.deepEqual(await search('data migr'), ['D-1004']);
    assert.deepEqual(await search('azure platform'), []);
  });

  it('no match: a word no deal has, a fragment from inside a word, punctuation only', async () => {
    assert.deepEqual(await search('woodgrove'), []);
    assert.deepEqual(await search('gration'), [], 'a prefix of a word, not any substring');
    assert.deepEqual(await search('-- !!'), []);
  });

  it('visibility is unchanged: Megan finds her deal, not Alex\'s; Patti finds neither', async () => {
    assert.deepEqual(await search('fabrikam', 'megan'), ['D-1003']);
    assert.deepEqual(await search('migration', 'megan'), []);
    assert.deepEqual(await search('fabrikam'), [], 'Alex does not see Megan\'s deal');
    for (const text of ['fabrikam', 'migration', '迁移', 'd-1003']) assert.deepEqual(await search(text, 'patti'), [], text);
  });

  it(`with ${OTHERS.toLocaleString('en-US')} other deals in the tenant, the search is handed only the deals carrying its words`, async () => {
    const owner = { id: USERS.alex.aadObjectId, name: USERS.alex.name };
    for (let i = 0; i < OTHERS; i++) {
      const deal = newDeal({ ...contosoForm, title: `Northwind rollout ${i}`, account: 'Tailspin', value: '1000' }, { number: 5000 + i, tenantId: TENANT, owner, now: '2026-01-01T00:00:00.000Z' });
      await h.store.deals.create(deal);
    }
    const seen: QueryExecution[] = [];
    const stop = observeQueries((e) => seen.push(e));
    try {
      assert.deepEqual(await search('迁移'), ['D-1002']);
      assert.deepEqual(await search('assessment'), ['D-1001']);
    } finally {
      stop();
    }
    const searches = seen.filter((e) => /ARRAY_CONTAINS\(c\.searchKeys, @k0\)/.test(e.sql));
    assert.equal(searches.length, 2);
    assert.ok(searches.every((e) => !/[^_]CONTAINS\(LOWER/.test(e.sql)), 'no CONTAINS over the tenant');
    assert.deepEqual(searches.map((e) => e.documents), [1, 1], 'one document handed to the engine for each');
    assert.ok(searches.every((e) => e.containerSize > OTHERS));
  });
});
