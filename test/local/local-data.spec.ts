import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { personalText, cardPress } from '../support/activities';
import { FakeConnector } from '../support/fake-connector';
import { button, cardText, fact, inputs } from '../support/card-query';
import { contosoForm } from '../bot/deal-fixtures';
import { startMain, stopWith, type RunningMain } from '../support/run-main';

/**
 * Issue 14, item 5: local mode loses nothing it acknowledged. `npm start`'s entry point runs as a child process;
 * it is killed with SIGKILL the moment its answer arrives (no clean stop, no snapshot), and started again.
 */
describe('local mode keeps every answered change across kill -9', function () {
  this.timeout(90_000);
  const connector = new FakeConnector();
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  before(() => connector.start());
  after(() => connector.stop());
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dealdesk-data-'));
    env = { PORT: '0', PLAYGROUND: 'off', DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const post = async (main: RunningMain, activity: unknown): Promise<any> => {
    const text = await (await fetch(`${main.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) })).text();
    return text ? JSON.parse(text) : undefined;
  };
  const press = async (main: RunningMain, verb: string, data: Record<string, unknown>) => (await post(main, cardPress(verb, data, { serviceUrl: connector.url }))).value;
  /** The card DealDesk sends back for a typed command. */
  const say = async (main: RunningMain, text: string) => {
    const activity = personalText(text, { serviceUrl: connector.url });
    await post(main, activity);
    const reply = connector.messages().find((m) => m.replyToId === activity.id);
    return reply?.attachments?.[0]?.content ?? reply?.text;
  };
  const killNow = (main: RunningMain) =>
    new Promise<void>((resolve) => {
      main.child.once('exit', () => resolve());
      main.child.kill('SIGKILL');
    });
  /** Every data file in the directory with its bytes (not the lock naming the process that uses it, dealdesk.pid). */
  const filesOf = (dir: string) =>
    Object.fromEntries(readdirSync(dir).filter((name) => name !== 'dealdesk.pid').sort().map((name) => [name, readFileSync(join(dir, name)).toString('base64')]));
  const journals = () => readdirSync(dataDir).filter((name) => /^journal-\d+\.jsonl$/.test(name)).sort();

  it('a deal created just before kill -9 is there after the restart; the next create gets the next id; the old card acts on its own deal', async () => {
    const first = await startMain(env);
    const created = await press(first, 'deal.create', contosoForm);
    await killNow(first); // the answer has arrived: nothing else happens in between
    assert.match(cardText(created), /Created D-1001\./);

    const second = await startMain(env);
    try {
      assert.match(second.output(), /^Store: embedded Cosmos-compatible server, 1 deal loaded from .+$/m);
      assert.match(cardText(await say(second, 'deal D-1001')), /Azure migration assessment/);
      const next = await press(second, 'deal.create', { ...contosoForm, title: 'Fabrikam support renewal' });
      assert.match(cardText(next), /Created D-1002\./);

      // Close lost, pressed on the card from before the crash, asks for the reason of the deal that card showed …
      const gate = await press(second, 'deal.closeLost', button(created, 'Close lost').data);
      assert.match(cardText(gate), /Azure migration assessment/);
      assert.doesNotMatch(cardText(gate), /Fabrikam support renewal/);
      assert.ok('note' in inputs(gate));
      // … and closes that deal, not the new one.
      const closed = await press(second, 'deal.move', { ...button(gate, /Closed lost/).data, note: 'budget cut' });
      assert.match(cardText(closed), /Azure migration assessment/);
      assert.equal(fact(closed, 'Stage'), 'Closed lost');
      assert.notEqual(fact(await say(second, 'deal D-1002'), 'Stage'), 'Closed lost');
    } finally {
      await stopWith(second, 'SIGTERM');
    }
    // A clean stop folds the journal into the snapshot; the next start finds both deals.
    const third = await startMain(env);
    try {
      assert.match(third.output(), /^Store: embedded Cosmos-compatible server, 2 deals loaded from .+$/m);
    } finally {
      assert.equal(await stopWith(third, 'SIGINT'), 0);
    }
  });

  it('a truncated snapshot stops start-up with a message naming the file and how to recover; no file is touched', async () => {
    const first = await startMain(env);
    await press(first, 'deal.create', contosoForm);
    assert.equal(await stopWith(first, 'SIGINT'), 0);
    const snapshot = join(dataDir, 'cosmos.json');
    const text = readFileSync(snapshot, 'utf8');
    assert.match(text, /Azure migration assessment/);
    writeFileSync(snapshot, text.slice(0, Math.floor(text.length / 2)));
    const before = filesOf(dataDir);

    await assert.rejects(startMain(env), (e: any) => {
      assert.equal(e.code, 1);
      assert.match(e.output, new RegExp(`^DealDesk cannot start: local data file ${escape(snapshot)} cannot be read \\(.+\\)\\..*(restore|move)`, 'm'));
      assert.doesNotMatch(e.output, /at .*\.ts:\d+/, 'no stack trace');
      return true;
    });
    assert.deepEqual(filesOf(dataDir), before, 'every file as it was: nothing deleted, moved, added or overwritten');
  });

  it('a corrupt journal line stops start-up with a message naming the file and the line; no file is touched', async () => {
    const first = await startMain(env);
    await press(first, 'deal.create', contosoForm);
    await press(first, 'deal.create', { ...contosoForm, title: 'Second deal' });
    await killNow(first);
    const [journal] = journals().slice(-1);
    assert.ok(journal, `a journal in ${readdirSync(dataDir).join(', ')}`);
    const file = join(dataDir, journal);
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.ok(lines.length >= 3, 'two writes and the final newline');
    lines[0] = lines[0].slice(0, Math.floor(lines[0].length / 2)); // cut inside the line, its newline kept
    writeFileSync(file, lines.join('\n'));
    const before = filesOf(dataDir);

    await assert.rejects(startMain(env), (e: any) => {
      assert.equal(e.code, 1);
      assert.match(e.output, new RegExp(`^DealDesk cannot start: local data file ${escape(file)} cannot be read \\(line 1: .+\\)\\.`, 'm'));
      assert.doesNotMatch(e.output, /at .*\.ts:\d+/, 'no stack trace');
      return true;
    });
    assert.deepEqual(filesOf(dataDir), before);
  });

  it('a torn last journal line (a write never answered) is dropped; everything before it is kept', async () => {
    const first = await startMain(env);
    await press(first, 'deal.create', contosoForm);
    await killNow(first);
    const [journal] = journals().slice(-1);
    assert.ok(journal, `a journal in ${readdirSync(dataDir).join(', ')}`);
    appendFileSync(join(dataDir, journal), '{"op":"put","coll":"deals","doc":{"id":"D-1002","tenantId":"0000');

    const second = await startMain(env);
    try {
      assert.match(second.output(), /1 deal loaded/);
      assert.match(cardText(await say(second, 'deal D-1001')), /Azure migration assessment/);
      assert.match(cardText(await press(second, 'deal.create', { ...contosoForm, title: 'Second deal' })), /Created D-1002\./);
    } finally {
      assert.equal(await stopWith(second, 'SIGTERM'), 0);
    }
  });

  it('a second DealDesk on the same data directory does not start', async () => {
    const first = await startMain(env);
    try {
      await assert.rejects(startMain({ ...env }), (e: any) => {
        assert.equal(e.code, 1);
        assert.match(e.output, new RegExp(`^DealDesk cannot start: ${escape(dataDir)} is in use by process ${first.child.pid} `, 'm'));
        return true;
      });
    } finally {
      assert.equal(await stopWith(first, 'SIGTERM'), 0);
    }
  });
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
