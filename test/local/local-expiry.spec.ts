import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cardPress, personalText, type UserKey } from '../support/activities';
import { cardText } from '../support/card-query';
import { FakeConnector } from '../support/fake-connector';
import { startMain, stopWith, type RunningMain } from '../support/run-main';
import { waitFor } from '../support/wait-for';
import { contosoForm } from '../bot/deal-fixtures';

/**
 * Issue 16, item 2, through `npm start`'s entry point: local mode honours a finished delivery's `ttl` on the manual
 * clock (DEALDESK_CLOCK=manual, `POST /_dev/clock`), and the sweep's deletes are in the journal like any write, so a
 * kill -9 right after does not bring an expired delivery back.
 */
describe('local mode: finished deliveries expire on the manual clock (issue 16, item 2)', function () {
  this.timeout(90_000);
  const connector = new FakeConnector();
  let dataDir: string;
  const running: RunningMain[] = [];
  before(async () => {
    await connector.start();
    dataDir = mkdtempSync(join(tmpdir(), 'dealdesk-expiry-'));
  });
  after(async () => {
    for (const r of running) await stopWith(r, 'SIGKILL').catch(() => undefined);
    await connector.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const env = () => ({ PORT: '0', PLAYGROUND: 'off', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEALDESK_CLOCK: 'manual', ALERT_COALESCE_MS: '0', NOTIFY_POLL_MS: '50' });
  const post = (url: string, path: string, body: unknown) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  /** The text of the cards DealDesk answered `text` with. */
  async function say(url: string, text: string, as: UserKey = 'alex'): Promise<string> {
    const activity = personalText(text, { as, serviceUrl: connector.url });
    await post(url, '/api/messages', activity);
    return connector.sent
      .map((s) => s.body)
      .filter((b) => b.type === 'message' && b.replyToId === activity.id)
      .flatMap((m) => (m.attachments ?? []).map((a: any) => cardText(a.content)))
      .join('\n');
  }

  it('a sent alert is listed until its retention is over on DealDesk\'s clock, then gone, also after kill -9', async () => {
    const first = await startMain(env());
    running.push(first);
    await say(first.url, 'help', 'megan');
    await post(first.url, '/api/messages', cardPress('deal.create', contosoForm, { serviceUrl: connector.url }));
    await say(first.url, 'add megan to D-1001 as architect');
    await say(first.url, 'move D-1001 to qualify');
    await waitFor('the alert sent to Megan', async () => /Megan Bowen: Sent/.test(await say(first.url, 'alerts D-1001')), 10_000);

    assert.equal((await post(first.url, '/_dev/clock', { advance: 'P29D' })).status, 200);
    assert.match(await say(first.url, 'alerts D-1001'), /Megan Bowen: Sent/);
    assert.equal((await post(first.url, '/_dev/clock', { advance: 'P2D' })).status, 200);
    assert.match(await say(first.url, 'alerts D-1001'), /No alerts of this deal in the last 30 days\./);

    await stopWith(first, 'SIGKILL'); // no fold into the snapshot: only the journal holds the sweep's delete
    const second = await startMain(env());
    running.push(second);
    assert.match(await say(second.url, 'alerts D-1001'), /No alerts of this deal in the last 30 days\./);
    assert.equal(await stopWith(second, 'SIGTERM'), 0);
  });
});
