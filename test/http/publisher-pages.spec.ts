import assert from 'node:assert/strict';
import { DealDeskHarness } from '../support/dealdesk-harness';

describe('the publisher pages the Teams app package links to (website, privacy, terms)', () => {
  const h = new DealDeskHarness();
  before(() => h.start());
  after(() => h.stop());

  for (const [path, heading] of [['/', 'DealDesk for Teams'], ['/privacy', 'DealDesk privacy statement'], ['/terms', 'DealDesk terms of use']]) {
    it(`GET ${path} is a small HTML page, without authentication`, async () => {
      const res = await fetch(`${h.app.url}${path}`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      const text = await res.text();
      assert.ok(text.includes(`<h1>${heading}</h1>`), text.slice(0, 200));
      assert.ok(text.length < 8_000);
    });
  }

  it('the privacy statement says what is kept and where', async () => {
    const text = (await (await fetch(`${h.app.url}/privacy`)).text()).replace(/\s+/g, ' ');
    for (const words of ['Azure Cosmos DB', 'no Microsoft Graph permissions', 'never message text']) assert.ok(text.includes(words), words);
  });
});
