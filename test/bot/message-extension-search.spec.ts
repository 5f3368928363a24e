import assert from 'node:assert/strict';
import { cardText } from '../support/card-query';
import { personalText, USERS } from '../support/activities';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { TENANT, contosoForm } from './deal-fixtures';
import { invoke, searchInvoke } from './compose-extension-invokes';

const BULK = 30;

describe('searching deals from the compose box (searchDeals, composeExtension/query through /api/messages), DEAL_VISIBILITY=team', function () {
  this.timeout(60_000);
  // Lynne is the admin here (local mode would make Alex one). Who may find a deal is DEAL_VISIBILITY's (issue 14,
  // item 3); under `tenant` everyone in the tenant may (test/bot/deal-visibility.spec.ts).
  const h = new DealDeskHarness({ ADMINS: USERS.lynne.aadObjectId, DEAL_VISIBILITY: 'team' });
  const search = (text: string | undefined, options: Parameters<typeof searchInvoke>[2] = {}) => invoke(h, searchInvoke(h, text, options));
  const ids = (body: any): string[] => body.composeExtension.attachments.map((a: any) => /D-\d+/.exec(a.preview.content.text)?.[0]);

  before(async () => {
    await h.start();
    for (const as of ['megan', 'adele', 'isaiah', 'patti', 'lynne'] as const) await h.say('help', { as });
    await h.press('deal.create', contosoForm); // D-1001, Alex's
    await h.press('deal.create', { ...contosoForm, title: 'Premier Support renewal', account: 'Fabrikam' }, { as: 'megan' }); // D-1002, Megan's
    await h.press('deal.create', { ...contosoForm, title: '<b>Evil</b> **bold** [x](https://evil.example) ${user.name}', account: 'Tailspin' }, { as: 'megan' }); // D-1003
    for (let i = 1; i <= BULK; i++) await h.press('deal.create', { ...contosoForm, title: `Northwind rollout ${i}`, account: 'Northwind' }); // D-1004…D-1033, Alex's
    await h.say('add adele to D-1001'); // Adele on Alex's deal team
    await h.store.people.setManager(TENANT, USERS.megan.aadObjectId, USERS.isaiah.aadObjectId); // Isaiah manages Megan
    await h.say('set D-1001 next step Send the proposal'); // D-1001 is Alex's most recently touched deal
  });
  after(() => h.stop());

  it('a title fragment lists the matching deal as a result list, the deal card inside and a preview with stage and value', async () => {
    const { status, body } = await search('migration');
    assert.equal(status, 200);
    assert.equal(body.composeExtension.type, 'result');
    assert.equal(body.composeExtension.attachmentLayout, 'list');
    assert.equal(body.composeExtension.attachments.length, 1);
    const [result] = body.composeExtension.attachments;
    assert.equal(result.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(result.content.type, 'AdaptiveCard');
    assert.match(cardText(result.content), /D-1001 · Prospect/);
    assert.match(cardText(result.content), /Azure migration assessment/);
    assert.equal(result.preview.contentType, 'application/vnd.microsoft.card.thumbnail');
    assert.equal(result.preview.content.title, 'Azure migration assessment');
    assert.equal(result.preview.content.text, 'D-1001 · Contoso Bank · Prospect · $1,500,000');
  });

  it('an account fragment and an id fragment find deals too, in any case', async () => {
    assert.deepEqual(ids((await search('CONTOSO')).body), ['D-1001']);
    assert.deepEqual(ids((await search('d-1002', { as: 'megan' })).body), ['D-1002']);
    assert.deepEqual(ids((await search('1002', { as: 'megan' })).body), ['D-1002']);
  });

  it('no match is an empty result list', async () => {
    const { body } = await search('no such deal anywhere');
    assert.deepEqual(body.composeExtension, { type: 'result', attachmentLayout: 'list', attachments: [] });
  });

  it('someone who may not see a deal does not find it, by title, account or id', async () => {
    for (const text of ['Premier Support renewal', 'fabrikam', 'D-1002']) assert.deepEqual(ids((await search(text, { as: 'patti' })).body), [], text);
    assert.deepEqual(ids((await search('fabrikam')).body), [], 'Alex (not an admin here) does not see Megan\'s deal');
  });

  it('the store\'s search keeps to the deals the person may see (the domain rule checks again)', async () => {
    const patti = { personId: USERS.patti.aadObjectId, ownerIds: [] };
    assert.deepEqual(await h.store.deals.searchSummaries(TENANT, 'fabrikam', 10, patti), []);
    const isaiah = { personId: USERS.isaiah.aadObjectId, ownerIds: [USERS.megan.aadObjectId] };
    assert.deepEqual((await h.store.deals.searchSummaries(TENANT, 'fabrikam', 10, isaiah)).map((d) => d.id), ['D-1002']);
    const adele = { personId: USERS.adele.aadObjectId, ownerIds: [] };
    assert.deepEqual((await h.store.deals.searchSummaries(TENANT, 'migration', 10, adele)).map((d) => d.id), ['D-1001']);
    assert.deepEqual((await h.store.deals.searchSummaries('another-tenant', 'migration', 10)).map((d) => d.id), []);
  });

  it('the deal team, the owner\'s manager and an admin find it', async () => {
    assert.deepEqual(ids((await search('migration', { as: 'adele' })).body), ['D-1001'], 'Adele is on the deal team');
    assert.deepEqual(ids((await search('fabrikam', { as: 'isaiah' })).body), ['D-1002'], 'Isaiah manages Megan');
    assert.deepEqual(ids((await search('fabrikam', { as: 'lynne' })).body), ['D-1002'], 'Lynne is an admin');
    assert.deepEqual(ids((await search('migration', { as: 'isaiah' })).body), [], 'Isaiah does not manage Alex');
  });

  it('many results come in pages of at most 25 (queryOptions skip/count), newest change first, no repeats', async () => {
    const first = ids((await search('northwind')).body);
    const second = ids((await search('northwind', { skip: 25 })).body);
    assert.equal(first.length, 25);
    assert.equal(second.length, BULK - 25);
    assert.equal(new Set([...first, ...second]).size, BULK);
    assert.equal(first[0], 'D-1033', 'the most recently created first');
    assert.deepEqual(ids((await search('northwind', { count: 5, skip: 3 })).body), first.slice(3, 8));
    assert.equal(ids((await search('northwind', { count: 1000 })).body).length, 25, 'never more than 25');
    assert.deepEqual(ids((await search('northwind', { skip: 1_000_000 })).body), []);
  });

  it('an empty query lists the person\'s own recently touched deals', async () => {
    const mine = ids((await search(undefined)).body);
    assert.equal(mine[0], 'D-1001', 'the deal Alex changed last');
    assert.equal(mine.length, 25);
    assert.deepEqual(ids((await search('', { as: 'megan' })).body), ['D-1003', 'D-1002']);
    assert.deepEqual(ids((await search('   ', { as: 'adele' })).body), [], 'team deals are found by searching, not listed as hers');
  });

  it('answers within 1 s on the embedded store', async () => {
    for (const text of ['northwind', undefined, 'D-10']) {
      const { ms } = await search(text);
      assert.ok(ms < 1000, `${text}: ${ms} ms`);
    }
  });

  it('hostile query strings are only text: each is answered with a result list and nothing breaks', async () => {
    const hostile = ['**bold** [x](https://evil.example)', '${user.name}', "' OR 1=1 --", '") OR c.tenantId != "', '%_\\', '\u0000\u001b[31m\u2028', 'a'.repeat(50_000), '<script>alert(1)</script>'];
    for (const text of hostile) {
      const { status, body } = await search(text);
      assert.equal(status, 200);
      assert.equal(body.composeExtension.type, 'result', JSON.stringify(text).slice(0, 40));
      assert.deepEqual(ids(body), []);
    }
    for (const [skip, count] of [[-5, 'x'], ['1e9', -1], [{}, []], [null, 2.5]]) {
      const { body } = await search('northwind', { skip, count });
      assert.equal(body.composeExtension.type, 'result');
    }
    assert.deepEqual(h.logger.errors(), []);
  });

  it('a deal title with markup becomes plain text in the preview and the card', async () => {
    const { body } = await search('evil', { as: 'megan' });
    const [result] = body.composeExtension.attachments;
    assert.doesNotMatch(result.preview.content.title, /<b>|\*\*|\[x\]|\$\{/);
    assert.match(result.preview.content.title, /^&lt;b&gt;Evil&lt;\/b&gt;/);
    assert.doesNotMatch(JSON.stringify(result.content), /<b>|\$\{user/);
  });

  it('an invoke that does not say in which tenant gets a message, not results', async () => {
    const activity = searchInvoke(h, 'migration');
    delete activity.conversation.tenantId;
    delete activity.channelData.tenant;
    const { status, body } = await invoke(h, activity);
    assert.equal(status, 200);
    assert.equal(body.composeExtension.type, 'message');
    assert.doesNotMatch(JSON.stringify(body), /migration assessment/i);
  });
});

describe('a deal card shared into the bot’s chat (from the search) is not taken for a command', () => {
  const h = new DealDeskHarness();
  before(() => h.start());
  after(() => h.stop());

  it('a message that is only a card (its text an HTML tag, or empty) gets no "I didn\'t get that"', async () => {
    for (const text of ['<inline-compose-card></inline-compose-card>', '', '  ']) {
      const activity = personalText(text, { serviceUrl: h.connector.url });
      activity.attachments = [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.5', body: [] } }];
      const said = await h.send(activity);
      assert.equal(said.status, 200);
      assert.deepEqual([said.texts, said.cards], [[], []], JSON.stringify(text));
    }
  });

  it('a card with words of the user’s own is still read as a command', async () => {
    const activity = personalText('help', { serviceUrl: h.connector.url });
    activity.attachments = [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.5', body: [] } }];
    assert.ok((await h.send(activity)).cards.length > 0);
  });
});
