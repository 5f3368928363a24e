import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { personalText, cardPress } from '../support/activities';
import { FakeConnector } from '../support/fake-connector';
import { cardText } from '../support/card-query';
import { contosoForm } from '../bot/deal-fixtures';
import { startMain, stopWith } from '../support/run-main';

describe('local mode (npm start with no Azure settings)', function () {
  this.timeout(60_000);
  const connector = new FakeConnector();
  let dataDir: string;
  before(async () => {
    await connector.start();
    dataDir = mkdtempSync(join(tmpdir(), 'dealdesk-data-'));
  });
  after(async () => {
    await connector.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (url: string, activity: unknown) =>
    fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });

  it('starts on loopback with the embedded store, keeps data across a clean restart, and stops on Ctrl-C', async () => {
    const env = { PORT: '0', PLAYGROUND: 'off', DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    const first = await startMain(env);
    assert.match(first.output(), /listening on http:\/\/127\.0\.0\.1:\d+\/api\/messages \(authentication off, loopback only\)/);
    assert.match(first.output(), /embedded Cosmos-compatible server/);
    const created: any = await (await post(first.url, cardPress('deal.create', contosoForm, { serviceUrl: connector.url }))).json();
    assert.match(cardText(created.value), /Created D-1001\./);
    assert.equal(await stopWith(first, 'SIGINT'), 0);

    const second = await startMain(env);
    try {
      const before = connector.sent.length;
      await post(second.url, personalText('deal D-1001', { serviceUrl: connector.url }));
      const reply = connector.sent.slice(before).map((s) => s.body).find((b) => b.type === 'message');
      assert.match(cardText(reply!.attachments[0].content), /Azure migration assessment/);
    } finally {
      assert.equal(await stopWith(second, 'SIGTERM'), 0);
    }
  });

  it('a configuration mistake stops start-up with one clear line naming the variable', async () => {
    await assert.rejects(startMain({ HOST: '0.0.0.0', PLAYGROUND: 'off' }), (e: any) => {
      assert.equal(e.code, 1);
      assert.match(e.output, /^DealDesk cannot start: HOST, MicrosoftAppId: 0\.0\.0\.0 is not a loopback address/m);
      assert.doesNotMatch(e.output, /at .*\.ts:\d+/, 'no stack trace');
      return true;
    });
  });
});
