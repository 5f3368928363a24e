import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/local/embedded-cosmos';
import type { Store } from '../../src/ports/store.port';
import { createCosmosClient } from '../../src/store/cosmos-client';
import { openCosmosStore } from '../../src/store/cosmos-store';
import { personalText } from '../support/activities';
import { FakeTeams } from '../support/fake-teams';
import { startMain, stopWith, type RunningMain } from '../support/run-main';
import { sleep, waitFor } from '../support/wait-for';
import { CHANNELS, MEMBERS, OWNER, TENANT, seedFanOut } from './fan-out-seed';

const RECIPIENTS = MEMBERS + CHANNELS;

/**
 * Several DealDesk processes on one store, and one killed mid fan-out: every recipient gets the alert
 * exactly once. The processes are real (`src/main.ts` in child processes) on a shared embedded Cosmos server.
 */
describe('fan-out survives a crash and shares work between instances (child processes)', function () {
  this.timeout(120_000);
  const teams = new FakeTeams(); // Teams's rate limits on: 50/s per tenant, 7/s per conversation
  let cosmos: EmbeddedCosmos;
  let store: Store;
  let env: NodeJS.ProcessEnv;
  const running: RunningMain[] = [];

  before(async () => {
    await teams.start();
    cosmos = await startEmbeddedCosmos();
    const database = `reliability-${randomUUID()}`;
    store = await openCosmosStore({ client: createCosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, embedded: true }), databaseId: database });
    env = {
      PORT: '0', PLAYGROUND: 'off', LOG_LEVEL: 'silent',
      COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: cosmos.key, COSMOS_EMULATOR: 'on', COSMOS_DATABASE: database,
      ALERT_COALESCE_MS: '0', NOTIFY_POLL_MS: '50',
      // Long enough that a send started in the first half of its lease is recorded before it ends, even on a busy
      // 2-core machine (at 2 s, a loaded run once saw a lease expire mid-send and the other process send again).
      DELIVERY_LEASE_MS: '5000',
      // The second process sends once the first has counted it (a lease + 2 s after it joined: 17 s by default, longer
      // than this fan-out takes); a 2 s membership lets both do part of the 200.
      SEND_BUDGET_LEASE_MS: '2000',
    };
  });
  afterEach(async () => {
    for (const r of running.splice(0)) await stopWith(r, 'SIGKILL').catch(() => undefined);
    teams.release();
  });
  after(async () => {
    await store?.close();
    await cosmos?.close();
    await teams.stop();
  });

  const alertCount = (conversationId: string) =>
    teams.messagesTo(conversationId).filter((m) => (m.attachments ?? []).some((a: any) => JSON.stringify(a.content).includes('Changed by'))).length;

  /** The owner moves the deal, through the process's /api/messages. */
  async function moveDeal(via: RunningMain, dealId: string): Promise<void> {
    const activity = personalText(`move ${dealId} to qualify`, { serviceUrl: teams.url, tenantId: TENANT });
    activity.from = { id: '29:owner', name: OWNER.name, aadObjectId: OWNER.id };
    const res = await fetch(`${via.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    assert.equal(res.status, 200);
  }

  const start = async () => {
    const r = await startMain(env);
    running.push(r);
    return r;
  };

  it('a process killed (SIGKILL) in the middle of a 200-recipient fan-out: a new process finishes it, each recipient once (twice only in the kill window)', async () => {
    const conversations = await seedFanOut(store, teams.url, 2001);
    const first = await start();
    await moveDeal(first, 'D-2001');
    await waitFor('the fan-out to be under way', () => conversations.filter((c) => alertCount(c) > 0).length >= 60, 30_000);
    // The network to Teams stops, in-flight requests hang; then the process dies without any chance to clean up.
    teams.hold();
    await sleep(300);
    await stopWith(first, 'SIGKILL');
    await sleep(300); // let the fake notice the dead process's connections closing
    teams.release();
    const deliveredBeforeCrash = conversations.filter((c) => alertCount(c) > 0).length;
    assert.ok(deliveredBeforeCrash < RECIPIENTS, `the crash came mid fan-out (${deliveredBeforeCrash} delivered)`);

    await start();
    await waitFor('every recipient to get the alert', () => conversations.every((c) => alertCount(c) > 0), 60_000);
    await sleep(1000);
    const deliveries = await store.deliveries.listForDeal(TENANT, 'D-2001', 500);
    assert.equal(deliveries.length, RECIPIENTS);
    assert.ok(deliveries.every((d) => d.state === 'sent'));
    // Each recipient once. The one exception is the window a SIGKILL leaves: a card Teams accepted just before the
    // death, whose 'sent' the dead process never recorded, is sent again by the next one (Teams has no idempotent
    // send): such a recipient has two copies and its delivery two attempts. Anything else is a bug.
    const attemptsOf = (c: string) => deliveries.find((d) => d.recipient.key === c || `a:${d.recipient.key}` === c)?.attempts ?? 0;
    assert.deepEqual(conversations.filter((c) => alertCount(c) !== 1 && !(alertCount(c) === 2 && attemptsOf(c) >= 2)), [], 'each recipient once, twice only in the kill window');
  });

  it('two processes on one store deliver one fan-out together: exactly once each, and both did part of the work', async () => {
    const conversations = await seedFanOut(store, teams.url, 2002);
    const [a] = await Promise.all([start(), start()]);
    await moveDeal(a, 'D-2002');
    await waitFor('every recipient to get the alert', () => conversations.every((c) => alertCount(c) > 0), 60_000);
    await sleep(1000);
    assert.deepEqual(conversations.map(alertCount).filter((n) => n !== 1), [], 'each recipient exactly once');
    const deliveries = await store.deliveries.listForDeal(TENANT, 'D-2002', 500);
    const byInstance = new Map<string, number>();
    for (const d of deliveries) byInstance.set(d.sentBy ?? '?', (byInstance.get(d.sentBy ?? '?') ?? 0) + 1);
    assert.equal(byInstance.size, 2, `both instances sent some: ${JSON.stringify([...byInstance])}`);
    assert.deepEqual(teams.earlyRetries(), [], 'every 429 was retried only after its Retry-After');
  });
});
