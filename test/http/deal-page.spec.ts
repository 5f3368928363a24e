import assert from 'node:assert/strict';
import { dealPage } from '../../src/http/deal-page';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { contosoForm } from '../bot/deal-fixtures';

describe('the read-only deal page, GET /deals/:id (no sign-in: it reveals nothing of a deal)', function () {
  this.timeout(30_000);
  const h = new DealDeskHarness();
  const get = async (path: string) => {
    const res = await fetch(`${h.app.url}${path}`);
    return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control'), csp: res.headers.get('content-security-policy'), html: await res.text() };
  };
  const DEAL_FIELDS = /Azure|migration|Contoso|1,500,000|Scoping|Alex Wilber|Prospect/i;

  before(async () => {
    await h.start();
    await h.press('deal.create', contosoForm); // D-1001
  });
  after(() => h.stop());

  it('names the deal and says how to open it in Teams, without any of its fields', async () => {
    const page = await get('/deals/D-1001');
    assert.equal(page.status, 200);
    assert.match(page.type ?? '', /^text\/html/);
    assert.equal(page.cache, 'no-store');
    assert.match(page.csp ?? '', /default-src 'none'/);
    assert.match(page.html, /<h1>Deal D-1001<\/h1>/);
    assert.match(page.html, /type <code>deal D-1001<\/code>/);
    assert.doesNotMatch(page.html, DEAL_FIELDS);
  });

  it('takes the id in any case and with a trailing slash or a query string', async () => {
    for (const path of ['/deals/d-1001', '/deals/D-1001/', '/deals/D-1001?from=mail']) {
      const page = await get(path);
      assert.equal(page.status, 200, path);
      assert.match(page.html, /Deal D-1001/, path);
    }
  });

  it('does not tell whether a deal exists: an id nobody has gets the same page', async () => {
    const known = await get('/deals/D-1001');
    const unknown = await get('/deals/D-9999');
    assert.equal(unknown.status, 200);
    assert.equal(unknown.html, known.html.replaceAll('D-1001', 'D-9999'));
  });

  it('anything that is not a deal id is a 404 page, and what was asked for is never echoed', async () => {
    for (const path of ['/deals/1001', '/deals/D-1001x', '/deals/%3Cscript%3Ealert(1)%3C%2Fscript%3E', '/deals/D-%22%3E%3Cimg%20src%3Dx%3E', `/deals/D-${'1'.repeat(30)}`]) {
      const page = await get(path);
      assert.equal(page.status, 404, path);
      assert.match(page.html, /does not name a DealDesk deal/, path);
      assert.doesNotMatch(page.html, /<script>|<img|alert\(1\)/i, path);
    }
  });

  it('with an app id, "Open DealDesk in Teams" is a deep link to a chat with the bot; anything odd in the id is left out', () => {
    const appId = 'a3d0c9b2-7e41-4f0a-8b6c-5d2e1f9a7c30';
    assert.match(dealPage('D-7', appId), new RegExp(`href="https://teams\\.microsoft\\.com/l/chat/0/0\\?users=28%3A${appId}"`));
    assert.doesNotMatch(dealPage('D-7', '"><script>x</script>'), /<script>|teams\.microsoft\.com/);
    assert.doesNotMatch(dealPage('D-7'), /teams\.microsoft\.com/, 'local mode: instructions only');
    assert.match(dealPage('<b>'), /Deal &lt;b&gt;/);
  });
});
