import assert from 'node:assert/strict';
import { cardText } from '../support/card-query';
import { USERS, type UserKey } from '../support/activities';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { TENANT, contosoForm } from './deal-fixtures';
import { invoke, queryLinkInvoke } from './compose-extension-invokes';

const PUBLIC = 'https://dealdesk.contoso.com';

describe('deal links unfold in the compose box (composeExtension/queryLink through /api/messages), DEAL_VISIBILITY=team', function () {
  this.timeout(60_000);
  // Who may read a deal is DEAL_VISIBILITY's (issue 14, item 3); under `tenant` everyone in it may (test/bot/deal-visibility.spec.ts).
  const h = new DealDeskHarness({ ADMINS: USERS.lynne.aadObjectId, DEAL_VISIBILITY: 'team' });
  const unfurl = (url: string, as: UserKey = 'alex') => invoke(h, queryLinkInvoke(h, url, { as }));
  /** Nothing of D-1001 may reach someone who may not see it. */
  const D1001_FIELDS = /Azure|migration|Contoso|1,500,000|Scoping|Alex Wilber|Prospect|Consulting/i;

  before(async () => {
    await h.start();
    for (const as of ['megan', 'adele', 'isaiah', 'patti'] as const) await h.say('help', { as });
    await h.press('deal.create', contosoForm); // D-1001, Alex's
    await h.say('add adele to D-1001');
    await h.store.people.setManager(TENANT, USERS.alex.aadObjectId, USERS.isaiah.aadObjectId); // Isaiah manages Alex
  });
  after(() => h.stop());

  it('the owner\'s link unfolds into the deal card, with a preview, and Teams is told not to cache it', async () => {
    const { status, body } = await unfurl(`${PUBLIC}/deals/D-1001`);
    assert.equal(status, 200);
    assert.equal(body.composeExtension.type, 'result');
    assert.equal(body.composeExtension.attachmentLayout, 'list');
    const [attachment] = body.composeExtension.attachments;
    assert.equal(attachment.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.match(cardText(attachment.content), /D-1001 · Prospect/);
    assert.equal(attachment.preview.contentType, 'application/vnd.microsoft.card.thumbnail');
    assert.equal(attachment.preview.content.title, 'Azure migration assessment');
    assert.deepEqual(body.cacheInfo, { cacheType: 'no-cache' });
  });

  for (const url of [`${PUBLIC}/deals/d-1001`, `${PUBLIC}/DEALS/D-1001/`, `${PUBLIC}/deals/D-1001?utm_source=mail#top`, 'http://127.0.0.1:3978/deals/D-1001', ` ${PUBLIC}/deals/D-01001 `]) {
    it(`"${url}" unfolds into D-1001`, async () => {
      const { body } = await unfurl(url);
      assert.match(cardText(body.composeExtension.attachments[0].content), /D-1001 · Prospect/);
    });
  }

  it('the deal team, the owner\'s manager and an admin see the card', async () => {
    for (const as of ['adele', 'isaiah', 'lynne'] as const) {
      const { body } = await unfurl(`${PUBLIC}/deals/D-1001`, as);
      assert.equal(body.composeExtension.attachments[0].contentType, 'application/vnd.microsoft.card.adaptive', as);
    }
  });

  it('anyone else gets a short "no access" card that carries nothing of the deal', async () => {
    for (const as of ['patti', 'megan'] as const) {
      const { status, body } = await unfurl(`${PUBLIC}/deals/D-1001`, as);
      assert.equal(status, 200);
      assert.equal(body.composeExtension.type, 'result');
      const [attachment] = body.composeExtension.attachments;
      assert.equal(attachment.contentType, 'application/vnd.microsoft.card.thumbnail');
      assert.equal(attachment.content.title, 'DealDesk · D-1001');
      assert.match(attachment.content.text, /You don't have access to this deal/);
      assert.doesNotMatch(JSON.stringify(body), D1001_FIELDS);
    }
  });

  it('an unknown deal gets the same "no access" card as a hidden one; a link in another tenant finds nothing of this one', async () => {
    const { body } = await unfurl(`${PUBLIC}/deals/D-9999`);
    assert.match(body.composeExtension.attachments[0].content.text, /You don't have access to this deal, or there is no such deal\./);
    const other = queryLinkInvoke(h, `${PUBLIC}/deals/D-1001`);
    other.conversation.tenantId = 'another-tenant';
    other.channelData.tenant.id = 'another-tenant';
    const elsewhere = await invoke(h, other);
    assert.match(elsewhere.body.composeExtension.attachments[0].content.text, /You don't have access to this deal, or there is no such deal\./);
    assert.doesNotMatch(JSON.stringify(elsewhere.body), D1001_FIELDS);
  });

  it('a link that is not a deal link, or is not a link, unfolds into nothing', async () => {
    for (const url of [`${PUBLIC}/`, `${PUBLIC}/deals/`, `${PUBLIC}/deals/D-1001/history`, `${PUBLIC}/deals/1001`, `${PUBLIC}/deals/D-1001x`, 'javascript:alert(1)//deals/D-1001', 'not a url', `${PUBLIC}/deals/D-${'9'.repeat(20)}`, `${PUBLIC}/${'a'.repeat(5000)}`]) {
      const { status, body } = await unfurl(url);
      assert.equal(status, 200, url);
      assert.deepEqual(body.composeExtension, { type: 'result', attachmentLayout: 'list', attachments: [] }, url);
    }
    for (const value of [{}, { url: 42 }, { url: null }, 'x']) {
      const activity = queryLinkInvoke(h, '');
      activity.value = value;
      const { status, body } = await invoke(h, activity);
      assert.equal(status, 200);
      assert.deepEqual(body.composeExtension.attachments, []);
    }
    assert.deepEqual(h.logger.errors(), []);
  });

  it('a "no access" answer in zh-CN is in Chinese', async () => {
    const activity = queryLinkInvoke(h, `${PUBLIC}/deals/D-1001`, { as: 'patti', locale: 'zh-CN' });
    const { body } = await invoke(h, activity);
    assert.match(body.composeExtension.attachments[0].content.text, /你无权查看此商机/);
  });
});
