import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { startDealDesk, type DealDesk } from '../../src/start-dealdesk';
import { cardPress, channelText, personalText } from '../support/activities';
import { startTestStore, type TestStore } from '../support/embedded-store';
import { FakeTeams } from '../support/fake-teams';

/** Everything pino writes, one parsed JSON object a line. */
class Captured extends Writable {
  readonly raw: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.raw.push(chunk.toString('utf8'));
    done();
  }
  text = () => this.raw.join('');
  lines = () => this.text().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  turns = () => this.lines().filter((l) => l.msg === 'turn');
  clear = () => void this.raw.splice(0);
}

const SECRETS = ['HOSTILE-TEXT-7f3a', 'SECRET-FIELD-9c1d', 'Bearer-TOKEN-4e2b', 'SECRET-VERB-5b6c', 'ACTIVITY-ID-TEXT-1a2b', 'eyJhbGciOiJIUzI1NiJ9.SECRET-JWT'];

/** One JSON log line per turn, with what operations need and nothing a user typed, nor any token. */
describe('turn logs (pino, captured)', function () {
  this.timeout(30_000);
  const teams = new FakeTeams({ limits: false });
  const out = new Captured();
  let testStore: TestStore;
  let app: DealDesk;

  before(async () => {
    await teams.start();
    testStore = await startTestStore();
    const config = loadConfig({ PORT: '0', PLAYGROUND: 'off', LOG_LEVEL: 'debug', ALERT_COALESCE_MS: '0', NOTIFY_POLL_MS: '50' });
    app = await startDealDesk(config, createLogger(config.logLevel, out), { store: testStore.store });
  });
  after(async () => {
    await app?.stop();
    await testStore?.stop();
    await teams.stop();
  });
  beforeEach(() => out.clear());

  const post = (activity: object, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });

  it('logs one line per turn: activity type, command word, conversation type, duration, outcome, activity id', async () => {
    const activity = personalText('help', { serviceUrl: teams.url });
    assert.equal((await post(activity)).status, 200);
    const [line, ...more] = out.turns();
    assert.equal(more.length, 0, 'exactly one line for the turn');
    assert.equal(line.activityType, 'message');
    assert.equal(line.command, 'help');
    assert.equal(line.conversationType, 'personal');
    assert.equal(line.outcome, 'ok');
    assert.equal(line.activityId, (activity as { id: string }).id);
    assert.equal(typeof line.ms, 'number');
    assert.equal(line.level, 30, 'info');
  });

  it('never logs the message text, card data, a bad verb or activity id, or the Authorization header: hostile turns', async () => {
    const auth = { authorization: `Bearer ${SECRETS[2]} ${SECRETS[5]}` };
    const texts = [
      `deal ${SECRETS[0]} <script>alert(1)</script>`,
      `${SECRETS[0]} ignore previous instructions`,
      `set D-9999 title ${SECRETS[0]}\n{"msg":"turn","outcome":"ok"}`,
      `move ${SECRETS[0]} to won because ${SECRETS[1]}`,
    ];
    for (const text of texts) assert.equal((await post(personalText(text, { serviceUrl: teams.url }), auth)).status, 200);
    assert.equal((await post(channelText(`${SECRETS[0]} @DealDesk`, { serviceUrl: teams.url }), auth)).status, 200);
    const withBadId = Object.assign(personalText(`help ${SECRETS[0]}`, { serviceUrl: teams.url }), { id: `${SECRETS[4]} "quoted" text` });
    assert.equal((await post(withBadId, auth)).status, 200);
    assert.equal((await post(cardPress('deal.show', { dealId: SECRETS[1], note: SECRETS[0] }, { serviceUrl: teams.url }), auth)).status, 200);
    assert.equal((await post(cardPress(SECRETS[3], { title: SECRETS[1] }, { serviceUrl: teams.url }), auth)).status, 200);

    const captured = out.text();
    for (const secret of SECRETS) assert.ok(!captured.includes(secret), `the logs contain ${secret}:\n${captured}`);
    assert.ok(!captured.includes('<script>') && !captured.includes('ignore previous'), 'no message text');
    const turns = out.turns();
    assert.equal(turns.length, texts.length + 4, 'one line per turn');
    assert.deepEqual(turns.slice(0, 4).map((t) => t.command), ['showDeal', 'unknown', 'set', 'move']);
    assert.equal(turns[0].outcome, 'DEAL.NOT_FOUND', 'a domain error is logged by its code');
    assert.equal(turns[4].conversationType, 'channel');
    assert.equal(turns[5].activityId, 'invalid', 'an activity id that is not an id is not echoed');
    assert.equal(turns[6].verb, 'deal.show');
    assert.equal(turns[7].verb, 'unknown', 'a verb DealDesk does not know is not echoed');
    assert.equal(turns[7].activityType, 'invoke');
  });

  it('writes at the configured level: LOG_LEVEL=warn has no turn lines', async () => {
    const quiet = new Captured();
    const logger = createLogger(loadConfig({ LOG_LEVEL: 'warn' }).logLevel, quiet);
    logger.info({ activityType: 'message' }, 'turn');
    logger.warn({ x: 1 }, 'kept');
    assert.deepEqual(quiet.lines().map((l) => l.msg), ['kept']);
  });

  it('redacts secrets even when a caller logs a whole object by mistake', () => {
    const sink = new Captured();
    createLogger('info', sink).error({ req: { headers: { authorization: SECRETS[2] } }, config: { MicrosoftAppPassword: SECRETS[1] }, activity: { text: SECRETS[0] } }, 'oops');
    for (const secret of SECRETS) assert.ok(!sink.text().includes(secret), sink.text());
  });
});
