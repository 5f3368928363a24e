import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { USERS, cardPress, channelText, personalText, type UserKey } from '../support/activities';
import { buttons, cardText } from '../support/card-query';
import { FakeTeams } from '../support/fake-teams';
import { startMain, stopWith, type RunningMain } from '../support/run-main';
import { sleep, waitFor } from '../support/wait-for';
import { contosoForm } from '../bot/deal-fixtures';
import { searchInvoke } from '../bot/compose-extension-invokes';
import type { DealDeskHarness } from '../support/dealdesk-harness';

const FIXTURE = join(__dirname, '..', 'fixtures', 'layout-v1', 'data');
const ROOT = join(__dirname, '..', '..');
const CHANNEL = '19:d1f6b5a2c0e34f7e9d2b8a6c4e1f3a5b@thread.tacv2';

/**
 * Issue 16, item 4, in local mode: `npm start` on a data directory written by DealDesk before the partitioned layout
 * (test/fixtures/layout-v1, made by eec5967's code, its last writes still in the journal). The users see what they had.
 */
describe('a data directory of the layout before partitioned keys, started with npm start and npm run migrate', function () {
  this.timeout(90_000);
  const teams = new FakeTeams({ limits: false, members: Object.values(USERS).map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId })) });
  let dataDir: string;
  let main: RunningMain;
  const env = () => ({ PORT: '0', PLAYGROUND: 'off', DATA_DIR: dataDir, LOG_LEVEL: 'info', ALERT_COALESCE_MS: '0', NOTIFY_POLL_MS: '50', ADMINS: USERS.alex.aadObjectId });

  const post = async (activity: unknown): Promise<any> => {
    const res = await fetch(`${main.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await res.text();
    return text ? JSON.parse(text) : undefined;
  };
  /** The card (or text) DealDesk answers a typed command with. */
  const say = async (text: string, as: UserKey = 'alex') => {
    const activity = personalText(text, { as, serviceUrl: teams.url });
    await post(activity);
    const reply = teams.sent.map((s) => s.body).find((m) => m.replyToId === activity.id);
    return reply?.attachments?.[0]?.content ?? reply?.text;
  };
  const press = async (verb: string, data: Record<string, unknown>) => (await post(cardPress(verb, data, { serviceUrl: teams.url })))?.value;
  const alertsIn = (conversationId: string) => teams.messagesTo(conversationId).flatMap((m) => (m.attachments ?? []).map((a: any) => a.content)).filter((c: any) => /Changed by/.test(cardText(c)));

  before(async () => {
    await teams.start();
    dataDir = mkdtempSync(join(tmpdir(), 'dealdesk-layout-v1-'));
    cpSync(FIXTURE, dataDir, { recursive: true });
    main = await startMain(env());
  });
  after(async () => {
    if (main) await stopWith(main, 'SIGTERM');
    await teams.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('start-up moves the data first, says so in JSON log lines, and counts the deals moved', () => {
    const lines = main.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    const done = lines.find((l) => l.msg === 'layout migration: done');
    assert.deepEqual(done?.moved, { deals: 8, conversations: 7, people: 7, follows: 1, deliveries: 13, jobs: 12 });
    assert.match(main.output(), /^Store: embedded Cosmos-compatible server, 6 deals loaded from .+$/m);
  });

  it('`my deals` lists each owner\'s deals, the one written only to the journal included', async () => {
    const alex = cardText(await say('my deals'));
    assert.match(alex, /D-1001/);
    assert.match(alex, /D-1002/);
    assert.doesNotMatch(alex, /D-1003/);
    const megan = cardText(await say('my deals', 'megan'));
    for (const id of ['D-1003', 'D-1004', 'D-1005']) assert.match(megan, new RegExp(id));
    assert.match(cardText(await say('deal D-1004', 'megan')), /\$500,000/, 'the journal\'s last change');
  });

  it('`history` shows every entry of the old history, the archived ones included', async () => {
    let card = await say('history D-1002');
    const seen: string[] = [];
    for (;;) {
      seen.push(...cardText(card).split('\n').filter((l) => /Alex Wilber/.test(l)));
      const older = buttons(card).find((b) => b.title === 'Older');
      if (!older) break;
      card = await press(older.verb, older.data);
    }
    const probabilities = seen.filter((l) => /[Pp]robability/.test(l));
    assert.equal(probabilities.length, 72, `${probabilities.length} probability changes of 72`);
    assert.ok(seen.some((l) => /created/i.test(l)), 'down to the creation');
  });

  it('`alerts` shows the deliveries made before: sent, blocked and still retrying', async () => {
    const text = cardText(await say('alerts D-1001'));
    assert.match(text, /sent/i);
    assert.match(text, /blocked/i);
    assert.match(text, /retrying/i);
  });

  it('the channel\'s follow and Megan\'s mute still apply to a new alert', async () => {
    await post(channelText('following', { serviceUrl: teams.url })); // the channel's reference now names this connector
    await say('help', 'megan');
    await say('help', 'adele');
    teams.clearFaults();
    const moved = cardText(await say('move D-1001 to solution'));
    assert.match(moved, /Solution/);
    await waitFor('the alert in the following channel', () => alertsIn(CHANNEL).some((c) => /Qualify → Solution/.test(cardText(c))), 10_000);
    await waitFor('the alert in Adele\'s chat', () => alertsIn('a:personal-adele').some((c) => /Qualify → Solution/.test(cardText(c))), 10_000);
    await sleep(300);
    assert.equal(alertsIn('a:personal-megan').length, 0, 'Megan muted D-1001 before the move');
  });

  it('the next deal created gets the next number, not one used before', async () => {
    assert.match(cardText(await press('deal.create', { ...contosoForm, title: 'After the move' })), /Created D-1006\./);
  });

  it('the compose box\'s Search deals finds the moved deals (their search keys were made as they moved)', async () => {
    // searchInvoke only needs the connector's address of a harness.
    const search = async (text: string, as: UserKey = 'alex') => {
      const body = await post(searchInvoke({ connector: { url: teams.url } } as unknown as DealDeskHarness, text, { as }));
      return body.composeExtension.attachments.map((a: any) => /D-\d+/.exec(a.preview.content.text)?.[0]);
    };
    assert.deepEqual(await search('azure'), ['D-1001']);
    assert.deepEqual(await search('Northw'), ['D-1003']);
    assert.deepEqual(await search('woodgrove'), ['D-1005'], 'the deal written only to the journal');
    assert.deepEqual(await search('1004', 'megan'), ['D-1004']);
  });

  it('stored: every document in the new containers with its key fields; the legacy containers kept; a restart moves nothing again', async () => {
    assert.equal(await stopWith(main, 'SIGINT'), 0);
    const snapshot = JSON.parse(readFileSync(join(dataDir, 'cosmos.json'), 'utf8')).containers;
    assert.ok(snapshot['deals-v2'].filter((d: any) => d.type === 'deal').every((d: any) => d.dealId === d.id));
    assert.ok(snapshot['deals-v2'].some((d: any) => d.id === 'D-1002.history.0' && d.dealId === 'D-1002'));
    assert.ok(snapshot['people-v2'].every((p: any) => typeof p.personId === 'string'));
    assert.ok(snapshot['conversations-v2'].every((c: any) => typeof c.conversationId === 'string'));
    assert.equal(snapshot.deals.length, 8, 'the legacy deals, kept until --drop-legacy');
    main = await startMain(env());
    assert.doesNotMatch(main.output(), /layout migration/);
    assert.match(main.output(), /7 deals loaded/);
    await stopWith(main, 'SIGINT');
  });

  it('`npm run migrate` moves a copy alone and prints the counts (exit 0); `--drop-legacy` then deletes the legacy containers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dealdesk-migrate-'));
    try {
      cpSync(FIXTURE, dir, { recursive: true });
      const run = (...args: string[]) => promisify(execFile)('npm', ['run', '-s', 'migrate', '--', ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn' } });
      const first = await run();
      assert.match(first.stdout, /^Moved to the partitioned layout in [\d.]+ s: deals 8, conversations 7, people 7, follows 1, deliveries 13, jobs 12\.$/m);
      const second = await run('--drop-legacy');
      assert.match(second.stdout, /^Nothing to move: the data was moved to the partitioned layout before\.$/m);
      assert.match(second.stdout, /^Dropped the legacy containers: deals, conversations, people, follows, deliveries, jobs\.$/m);
      const snapshot = JSON.parse(readFileSync(join(dir, 'cosmos.json'), 'utf8')).containers;
      assert.equal(snapshot.deals, undefined);
      assert.equal(snapshot['deals-v2'].length, 8);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`npm run migrate` with the store unreachable exits 1 with one line', async () => {
    const env = { ...process.env, COSMOS_ENDPOINT: 'https://127.0.0.1:9/', COSMOS_KEY: Buffer.from('k').toString('base64'), COSMOS_EMULATOR: 'on', LOG_LEVEL: 'silent' };
    await assert.rejects(promisify(execFile)('npm', ['run', '-s', 'migrate'], { cwd: ROOT, env }), (e: any) => {
      assert.equal(e.code, 1);
      const lines = String(e.stderr).trim().split('\n').filter((l: string) => !/DEP0111|trace-deprecation/.test(l));
      assert.equal(lines.length, 1, String(e.stderr));
      assert.match(lines[0], /^DealDesk could not move the data: /);
      return true;
    });
  });
});
