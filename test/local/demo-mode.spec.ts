import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLAYGROUND_IDENTITY } from '../../src/local/playground';
import { personalText, type UserKey } from '../support/activities';
import { cardText } from '../support/card-query';
import { FakeConnector } from '../support/fake-connector';
import { freePort } from '../support/free-port';
import { startMain, stopWith, type RunningMain } from '../support/run-main';


/** What a user sees in answer to one 1:1 message, through /api/messages and the (fake) Bot Connector. */
async function ask(connector: FakeConnector, running: RunningMain, text: string, as: UserKey = 'alex'): Promise<string> {
  const before = connector.sent.length;
  const activity = personalText(text, { serviceUrl: connector.url, tenantId: PLAYGROUND_IDENTITY.tenantId, as });
  const res = await fetch(`${running.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  assert.ok(res.ok, `${text}: HTTP ${res.status}`);
  const replies = connector.sent.slice(before).map((s) => s.body).filter((b) => b.type === 'message');
  return replies.map((b) => [b.text ?? '', ...(b.attachments ?? []).map((a: any) => cardText(a.content))].join('\n')).join('\n');
}

/** A start-up that must fail: its exit code and output. */
async function refusedStart(env: NodeJS.ProcessEnv, args: string[] = ['--import', 'tsx', 'src/main.ts']): Promise<{ code: number; output: string }> {
  try {
    const running = await startMain(env, 30_000, args);
    await stopWith(running, 'SIGTERM');
  } catch (e: any) {
    if (e.code !== undefined) return { code: e.code, output: e.output };
    throw e;
  }
  throw new Error('it started');
}

describe('npm start -- --demo: a seeded local tenant, only on a fresh data directory', function () {
  this.timeout(90_000);
  const connector = new FakeConnector();
  let root: string;
  before(async () => {
    await connector.start();
    root = mkdtempSync(join(tmpdir(), 'dealdesk-demo-'));
  });
  after(async () => {
    await connector.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('seeds accounts, a pipeline across every stage, two approval levels, a deal waiting for Megan, a won deal with a CSAT due; a restart keeps it as it is', async () => {
    const env = { PORT: '0', PLAYGROUND: 'off', DATA_DIR: join(root, 'fresh'), LOG_LEVEL: 'silent' };
    const first = await startMain(env, 30_000, ['--import', 'tsx', 'src/main.ts', '--demo']);
    try {
      assert.match(first.output(), /Store: embedded Cosmos-compatible server, 7 deals in .*fresh\/: the demo tenant, seeded just now/);

      const pipeline = await ask(connector, first, 'my deals');
      for (const stage of ['Prospect', 'Qualify', 'Solution']) assert.match(pipeline, new RegExp(`^${stage} · 1 · `, 'm'), `pipeline shows ${stage}`);
      assert.match(pipeline, /^Proof · 2 · \$8,200,000$/m);
      for (const account of ['Contoso Bank', 'Tailspin Toys', 'Northwind Traders', 'Fabrikam', 'Woodgrove Bank']) assert.match(pipeline, new RegExp(account));

      const contoso = await ask(connector, first, 'deal D-1001');
      assert.match(contoso, /Core banking migration/);
      assert.match(contoso, /Proof/);

      const approvers = await ask(connector, first, 'approvers');
      assert.match(approvers, /1\. Services manager: any one of: Megan Bowen/);
      assert.match(approvers, /2\. Director: all of: Adele Vance/);

      const waiting = await ask(connector, first, 'approval D-1005', 'megan');
      assert.match(waiting, /Fraud analytics platform/);
      assert.match(waiting, /round 1 · Alex Wilber: requested approval/);

      const csat = await ask(connector, first, 'csat D-1006');
      assert.match(csat, /Litware/);
      assert.match(csat, /Milestone: 30 days after kickoff/);

      const won = await ask(connector, first, 'history D-1006');
      assert.match(won, /Alex Wilber: moved Proof → Closed won/);
    } finally {
      assert.equal(await stopWith(first, 'SIGINT'), 0);
    }

    const again = await startMain({ ...env, DEMO: 'on' });
    try {
      assert.match(again.output(), /7 deals loaded from .*fresh\/: the demo tenant$/m, 'started on the demo as it was, not seeded twice');
    } finally {
      assert.equal(await stopWith(again, 'SIGTERM'), 0);
    }
  });

  it('refuses a data directory that holds other data, with one line saying how to start on a fresh one, and touches nothing', async () => {
    const dir = join(root, 'mine');
    mkdirSync(dir);
    writeFileSync(join(dir, 'cosmos.json'), '{"mine":true}\n');
    const { code, output } = await refusedStart({ PORT: '0', PLAYGROUND: 'off', DATA_DIR: dir, DEMO: 'on' });
    assert.equal(code, 1);
    assert.match(output, /^DealDesk cannot start: --demo seeds a fresh data directory, and .*mine\/ already holds data that is not the demo's \(left untouched\): start the demo in a new one, e\.g\. DATA_DIR=\.data-demo-2 npm start -- --demo$/m);
    assert.doesNotMatch(output, /at .*\.ts:\d+/, 'no stack trace');
    assert.deepEqual(readdirSync(dir), ['cosmos.json']);
    assert.equal(readFileSync(join(dir, 'cosmos.json'), 'utf8'), '{"mine":true}\n');
  });

  it('an unknown argument is one line too', async () => {
    const { code, output } = await refusedStart({ PORT: '0', PLAYGROUND: 'off', DATA_DIR: join(root, 'unused') }, ['--import', 'tsx', 'src/main.ts', '--dmeo']);
    assert.equal(code, 1);
    assert.match(output, /^DealDesk cannot start: unknown argument --dmeo: the only one is --demo/m);
  });
});

describe('npm start: a playground port in use', function () {
  this.timeout(60_000);
  let busy: Server;
  let port: number;
  before(async () => {
    port = await freePort();
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(port + 1, resolve));
  });
  after(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it("is one line naming the port and whose playground it is, before DealDesk starts", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dealdesk-ports-'));
    try {
      const { code, output } = await refusedStart({ PORT: '0', DATA_DIR: dataDir, PLAYGROUND_PORT: String(port), PLAYGROUND_USERS: 'alex,megan' });
      assert.equal(code, 1);
      assert.match(output, new RegExp(`^DealDesk cannot start: port ${port + 1} for Megan Bowen's Agents Playground is in use \\(EADDRINUSE\\): .*PLAYGROUND_PORT`, 'm'));
      assert.doesNotMatch(output, /listening on/, 'DealDesk never started');
      assert.doesNotMatch(output, /at .*\.ts:\d+/, 'no stack trace');
      assert.deepEqual(readdirSync(dataDir), [], 'nothing written');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

