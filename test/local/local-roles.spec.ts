import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLAYGROUND_IDENTITY } from '../../src/local/playground';
import { cardPress, personalText, type UserKey } from '../support/activities';
import { cardText } from '../support/card-query';
import { FakeConnector } from '../support/fake-connector';
import { freePort } from '../support/free-port';
import { startMain, stopWith, type RunningMain } from '../support/run-main';

/** Two ports in a row that nothing listens on: Alex's playground and Megan's, the next one. */
async function twoFreePorts(): Promise<number> {
  for (;;) {
    const port = await freePort();
    const next = await new Promise<boolean>((resolve) => {
      const s = net.createServer().once('error', () => resolve(false));
      s.listen(port + 1, () => s.close(() => resolve(true)));
    });
    if (next) return port;
  }
}

const tenantId = PLAYGROUND_IDENTITY.tenantId;

/** What a user sees in answer to one activity, through /api/messages and the (fake) Bot Connector (or the invoke answer). */
async function post(connector: FakeConnector, running: RunningMain, activity: any): Promise<string> {
  const before = connector.sent.length;
  const res = await fetch(`${running.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  assert.ok(res.ok, `HTTP ${res.status}`);
  const body = await res.text();
  const replies = connector.sent.slice(before).map((s) => s.body).filter((b) => b.type === 'message');
  return [body, ...replies.map((b) => [b.text ?? '', ...(b.attachments ?? []).map((a: any) => cardText(a.content))].join('\n'))].join('\n');
}
const ask = (connector: FakeConnector, running: RunningMain, text: string, as: UserKey = 'alex') =>
  post(connector, running, personalText(text, { serviceUrl: connector.url, tenantId, as }));
const press = (connector: FakeConnector, running: RunningMain, verb: string, data: Record<string, unknown>, as: UserKey) =>
  post(connector, running, cardPress(verb, data, { serviceUrl: connector.url, tenantId, as }));

/** A complex deal (NWS $2M: level 1, the services manager) through the new-deal form. */
const COMPLEX = { title: 'Core banking migration', account: 'Contoso Bank', serviceLines: 'Consulting', value: '2,000,000', currency: 'USD', closeDate: '2027-06-30', probability: '40', nextStep: 'Workshop' };

describe('npm start on a fresh local store: the local users have the roles the banner says (issue 17, item 1)', function () {
  this.timeout(120_000);
  const connector = new FakeConnector();
  let root: string;
  before(async () => {
    await connector.start();
    root = mkdtempSync(join(tmpdir(), 'dealdesk-roles-'));
  });
  after(async () => {
    await connector.stop();
    rmSync(root, { recursive: true, force: true });
  });
  const start = async (dataDir: string) =>
    startMain({ PORT: '0', DATA_DIR: dataDir, PLAYGROUND_PORT: String(await twoFreePorts()), PLAYGROUND_USERS: 'alex,megan', LOG_LEVEL: 'silent' }, 60_000);

  it('fresh: Megan is Alex\'s manager and the level-1 approver, so Alex\'s request for approval is Megan\'s to approve', async () => {
    const running = await start(join(root, 'fresh'));
    try {
      assert.match(running.output(), /^ {2}http:\/\/localhost:\d+ {2}Alex Wilber \(SE, admin\)$/m);
      assert.match(running.output(), /^ {2}http:\/\/localhost:\d+ {2}Megan Bowen \(services manager, level-1 approver, Alex's manager\)$/m);
      assert.match(await ask(connector, running, 'manager', 'alex'), /Megan Bowen/);
      assert.match(await press(connector, running, 'deal.create', COMPLEX, 'alex'), /D-1001/);
      assert.match(await ask(connector, running, 'request approval D-1001 please'), /approv/i);
      const decided = await press(connector, running, 'approval.decide', { dealId: 'D-1001', round: 1, decision: 'approved' }, 'megan');
      assert.doesNotMatch(decided, /can't decide|Only the approvers/);
      assert.match(await ask(connector, running, 'approval D-1001'), /Megan Bowen: approved/);
    } finally {
      assert.equal(await stopWith(running, 'SIGTERM'), 0);
    }
  });

  it('a store where an admin chose another approver and manager: nothing is changed, and the banner says what is true', async () => {
    const dataDir = join(root, 'chosen');
    const first = await start(dataDir);
    try {
      await ask(connector, first, 'help', 'adele');
      assert.match(await ask(connector, first, 'set approvers 1 Adele Vance'), /Adele Vance/);
      assert.match(await ask(connector, first, 'set manager Alex Wilber to Adele Vance'), /Adele Vance/);
    } finally {
      assert.equal(await stopWith(first, 'SIGTERM'), 0);
    }
    const again = await start(dataDir);
    try {
      assert.match(again.output(), /^ {2}http:\/\/localhost:\d+ {2}Megan Bowen \(services manager\)$/m);
      assert.match(await ask(connector, again, 'approvers'), /1\. Services manager: any one of: Adele Vance/);
      assert.match(await ask(connector, again, 'manager'), /Adele Vance/);
    } finally {
      assert.equal(await stopWith(again, 'SIGTERM'), 0);
    }
  });
});
