import assert from 'node:assert/strict';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { cardPress, personalText } from '../support/activities';

/** Issue 8, item 7: a body over MAX_BODY_KB is refused (413) before it is parsed; malformed JSON is 400; neither runs a handler. */
describe('/api/messages refuses oversized and malformed bodies', () => {
  const h = new DealDeskHarness({ MAX_BODY_KB: '256' });
  before(() => h.start());
  after(() => h.stop());

  const post = async (body: string, contentType = 'application/json') => {
    const res = await fetch(`${h.app.url}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });
    return { status: res.status, text: await res.text() };
  };

  it('a body over 256 KB: 413, nothing handled', async () => {
    const activity = personalText(`new deal ${'x'.repeat(300 * 1024)}`, { serviceUrl: h.connector.url, as: 'lynne' });
    const result = await post(JSON.stringify(activity));
    assert.equal(result.status, 413);
    assert.equal(await h.store.people.get(activity.conversation.tenantId, activity.from.aadObjectId), undefined);
  });

  it('a body just under the limit is processed', async () => {
    const activity = personalText(`help ${'x'.repeat(200 * 1024)}`, { serviceUrl: h.connector.url, as: 'patti' });
    assert.equal((await post(JSON.stringify(activity))).status, 200);
  });

  for (const [what, body] of [['truncated JSON', '{"type":"message","text":"hi"'], ['not JSON at all', 'hello there'], ['a JSON array', '[1,2,3]'], ['a JSON string', '"message"']]) {
    it(`${what}: 400, and no stack trace in the answer`, async () => {
      const result = await post(body);
      assert.equal(result.status, 400, result.text);
      assert.doesNotMatch(result.text, /at \w+ \(|node_modules|\.ts:\d+/);
    });
  }
});

describe('/api/messages refuses bodies that are not activities (400), before any handler or error log', () => {
  const h = new DealDeskHarness();
  before(() => h.start());
  after(() => h.stop());

  const base = () => personalText('help', { serviceUrl: 'http://127.0.0.1:9/', as: 'alex' });
  const broken: Array<[string, (a: any) => void]> = [
    ['no conversation id', (a) => delete a.conversation.id],
    ['no sender id', (a) => delete a.from.id],
    ['no recipient', (a) => delete a.recipient],
    ['no channel id', (a) => delete a.channelId],
    ['a sender name that is no string', (a) => (a.from.name = { x: 1 })],
    ['a replyToId that is a number', (a) => (a.replyToId = 42)],
    ['isGroup as a string', (a) => (a.conversation.isGroup = 'yes')],
    ['an entity without a type', (a) => (a.entities = [{ locale: 'en-US' }])],
  ];
  for (const [what, breakIt] of broken) {
    it(`${what}: 400, nothing logged as an error`, async () => {
      const activity = base();
      breakIt(activity);
      const errorsBefore = h.logger.errors().length;
      const res = await fetch(`${h.app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      assert.equal(res.status, 400);
      assert.equal(h.logger.errors().length, errorsBefore);
    });
  }
});

describe('an invoke DealDesk does not handle', () => {
  const h = new DealDeskHarness();
  before(() => h.start());
  after(() => h.stop());

  it('is answered 400 (not the adapter\'s 501), and a known invoke still works', async () => {
    for (const name of ['config/fetch', 'no/such/invoke', '']) {
      const activity = cardPress('help.show', {}, { serviceUrl: h.connector.url });
      activity.name = name || undefined;
      const res = await h.post(activity);
      assert.equal(res.status, 400, `invoke ${JSON.stringify(name)}`);
    }
    assert.equal((await h.press('help.show', {})).status, 200);
  });
});
