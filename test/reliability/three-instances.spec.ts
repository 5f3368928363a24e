import assert from 'node:assert/strict';
import type { AppDeps } from '../../src/app/context';
import { readEntryPage } from '../../src/app/read-entry-page';
import { newDeal } from '../../src/domain/deal-draft';
import type { Deal } from '../../src/domain/deal';
import { newJob } from '../../src/domain/job';
import { digestMessageId } from '../../src/app/send-digest';
import { signatureOf } from '../../src/http/verify-signature';
import { USERS, cardPress, channelText, personalText, type UserKey } from '../support/activities';
import type { RunningMain } from '../support/run-main';
import { contosoForm } from '../bot/deal-fixtures';
import { Cluster, TENANT, WEBHOOK_SECRET, prng, seedRecipients, seedUsers, sleep } from './support/cluster';

/**
 * Item 12 of issue 8: three DealDesk processes on one store under a mixed workload — the owner's
 * commands, team members' button presses, signed CRM webhooks (some repeated to another instance),
 * the alert fan-outs all that causes, digest jobs and approval reminders falling due — for 60 s
 * (CHAOS=1; `npm test`: 15 s). Then: every acknowledged change is in the store exactly once (a ledger
 * the test keeps), every delivery went out once, every job ran once, every request was answered, and
 * the work was spread over the three.
 */
const CHAOS = process.env.CHAOS === '1';
const DURATION_MS = Number(process.env.INSTANCES_SECONDS ?? (CHAOS ? 60 : 15)) * 1000;
const SEED = Number(process.env.INSTANCES_SEED ?? Math.floor(Math.random() * 1e9));
const INSTANCES = 3;
const DEALS = 6;
const JOBS = CHAOS ? 24 : 6;
const REMINDERS = 3;
const ALEX = { id: USERS.alex.aadObjectId, name: USERS.alex.name };
const MEMBERS: UserKey[] = ['megan', 'adele', 'isaiah', 'patti', 'lynne', 'megan2'];
const ALERT = /Changed by/;

interface Request {
  instance: number;
  what: string;
  ok: boolean;
  /** Answered, but with "changed meanwhile / try again": not acknowledged, not required in the store. */
  tryAgain?: boolean;
  ms: number;
  error?: string;
}

describe('three instances on one store under a mixed workload (child processes)', function () {
  this.timeout(DURATION_MS + 240_000);
  // Delivery leases of 5 s (production: 30 s): with 1 s ones, event-loop stalls of a loaded two-core machine outlast
  // leases, another instance takes the delivery over while its send is on the way, and Teams gets it twice (the
  // at-least-once window the kill test allows; here nothing is killed, so none is allowed). Job leases stay 1 s:
  // a run that outlives its lease is completed by another instance, which this test checks sends nothing twice.
  const cluster = new Cluster({ LOG_LEVEL: 'info', DELIVERY_LEASE_MS: '5000' });
  const random = prng(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  let instances: RunningMain[] = [];
  const deals: Deal[] = [];
  /** Who hears about which deal: conversation id per recipient key (person id or channel conversation). */
  const conversationOf = new Map<string, string>();
  const requests: Request[] = [];
  /** Acknowledged changes (next step, close date) per deal: the value each set, exactly once in the history. */
  const ledger = new Map<string, string[]>();
  /** Every value sent (acknowledged or not): nothing else may appear in a history. */
  const sent = new Set<string>();
  const mutes = new Map<string, Set<string>>();
  const jobs: Array<{ personId: string; conversationId: string }> = [];
  const reminded: string[] = [];
  let counter = 0;

  before(async () => {
    await cluster.open();
    const url = cluster.teams.url;
    await seedUsers(cluster.store, url);
    for (const [key, user] of Object.entries(USERS)) conversationOf.set(user.aadObjectId, `a:personal-${key}`);
    const now = new Date().toISOString();
    for (let i = 0; i < DEALS; i++) {
      const deal = newDeal({ ...contosoForm, serviceLines: 'Consulting' }, { number: 4001 + i, tenantId: TENANT, owner: ALEX, now });
      const { people, channelIds } = await seedRecipients(cluster.store, url, `t${i}`, 2, 2, deal);
      for (const p of people) {
        deal.team.push({ person: { id: p.id, name: p.name }, role: 'Consultant' });
        conversationOf.set(p.id, p.conversationId);
      }
      for (const c of channelIds) conversationOf.set(c, c);
      for (const key of MEMBERS) deal.team.push({ person: { id: USERS[key].aadObjectId, name: USERS[key].name }, role: 'Architect' });
      deals.push((await cluster.store.deals.create(deal)).deal);
      ledger.set(deal.id, []);
      mutes.set(deal.id, new Set());
    }
    instances = await Promise.all(Array.from({ length: INSTANCES }, () => cluster.start()));
    // Approvals for the reminders: the channel, level 1's approvers, and three deals' approval requested.
    assert.equal((await cluster.post(instances[0], channelText('approvals here', { serviceUrl: url }))).status, 200);
    assert.equal((await cluster.post(instances[1], personalText('set approvers 1 megan bowen, adele vance any', { serviceUrl: url }))).status, 200);
    for (let i = 0; i < REMINDERS; i++) {
      const number = 4101 + i;
      await cluster.store.deals.create(newDeal({ ...contosoForm, serviceLines: 'Consulting' }, { number, tenantId: TENANT, owner: ALEX, now }));
      assert.equal((await cluster.post(instances[i % INSTANCES], personalText(`request approval D-${number}`, { serviceUrl: url }))).status, 200);
    }
    await cluster.quiet(30_000);
  });
  after(async () => {
    await cluster.close();
  });

  async function timed(instance: number, what: string, run: () => Promise<{ ok: boolean; tryAgain?: boolean; error?: string }>): Promise<boolean> {
    const started = Date.now();
    const result = await run();
    requests.push({ instance, what, ms: Date.now() - started, ...result });
    return result.ok;
  }

  /** A unique value for a field: a next step (no alert), or a close date, later each time (an alert to the deal's people). */
  function nextChange(): { field: 'nextStep' | 'closeDate'; value: string } {
    const n = ++counter;
    const value = random() < 0.5 ? `step-${n}` : new Date(Date.UTC(2027, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
    sent.add(value);
    return { field: value.startsWith('step-') ? 'nextStep' : 'closeDate', value };
  }

  /** The owner types `set D-… next step …` or `set D-… close date …`; acknowledged by the "updated" reply. */
  async function ownerSets(): Promise<void> {
    const i = Math.floor(random() * INSTANCES);
    const deal = pick(deals);
    const { field, value } = nextChange();
    const activity = personalText(`set ${deal.id} ${field === 'nextStep' ? 'next step' : 'close date'} ${value}`, { as: 'alex', serviceUrl: cluster.teams.url });
    await timed(i, 'command', async () => {
      const res = await cluster.post(instances[i], activity);
      if (res.status !== 200) return { ok: false, error: res.error ?? `status ${res.status}` };
      const reply = JSON.stringify(cluster.teams.sent.filter((s) => s.replyToId === activity.id).map((s) => s.body));
      const acknowledged = /(Next step|Close date) updated\./.test(reply);
      if (acknowledged) ledger.get(deal.id)!.push(value);
      return { ok: true, tryAgain: !acknowledged };
    });
  }

  /** The CRM posts a signed change; now and then the same event again, to another instance (a CRM retry). */
  async function crmChanges(): Promise<void> {
    const deal = pick(deals);
    const { field, value } = nextChange();
    const body = JSON.stringify({ eventId: `evt-${counter}`, deal: deal.id, tenantId: TENANT, changes: { [field]: value }, actor: { name: 'Dana Smith', email: 'dana@contoso.com' } });
    const first = Math.floor(random() * INSTANCES);
    const targets = random() < 0.25 ? [first, (first + 1) % INSTANCES] : [first];
    for (const i of targets) {
      await timed(i, 'webhook', async () => {
        const ts = String(Math.floor(Date.now() / 1000));
        try {
          const res = await fetch(`${instances[i].url}/api/webhooks/deals`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'X-DealDesk-Timestamp': ts, 'X-DealDesk-Signature': `sha256=${signatureOf(WEBHOOK_SECRET, ts, body)}` },
            body,
            signal: AbortSignal.timeout(30_000),
          });
          const answer = (await res.json()) as { applied?: boolean };
          if (res.status === 200 && answer.applied && !ledger.get(deal.id)!.includes(value)) ledger.get(deal.id)!.push(value);
          return { ok: res.status < 500, tryAgain: res.status !== 200, error: res.status < 500 ? undefined : `status ${res.status}` };
        } catch (e) {
          return { ok: false, error: (e as Error).message };
        }
      });
    }
  }

  /** A team member presses Mute on a deal's card (each once), or Refresh (a read). */
  async function memberPresses(): Promise<void> {
    const i = Math.floor(random() * INSTANCES);
    const deal = pick(deals);
    const as = pick(MEMBERS);
    const muting = random() < 0.3 && !mutes.get(deal.id)!.has(USERS[as].aadObjectId);
    const press = cardPress(muting ? 'deal.mute' : 'deal.refresh', { dealId: deal.id }, { as, serviceUrl: cluster.teams.url });
    await timed(i, muting ? 'press mute' : 'press refresh', async () => {
      const res = await cluster.post(instances[i], press);
      if (res.status !== 200) return { ok: false, error: res.error ?? `status ${res.status}` };
      const ok = res.body?.statusCode === 200;
      if (muting && ok) mutes.get(deal.id)!.add(USERS[as].aadObjectId);
      return { ok, error: ok ? undefined : JSON.stringify(res.body).slice(0, 200) };
    });
  }

  it(`${INSTANCES} processes, ${DURATION_MS / 1000} s: no lost update, no duplicate, no job twice, no deadlock, work spread`, async () => {
    const started = Date.now();
    const until = started + DURATION_MS;
    // Scheduled work falling due during the run: digest jobs, and approval reminders (timers in deals).
    const { people } = await seedRecipients(cluster.store, cluster.teams.url, 'jobs', JOBS, 0);
    for (const [n, p] of people.entries()) {
      const dueAt = new Date(started + ((n + 1) * (DURATION_MS - 2000)) / (JOBS + 1)).toISOString();
      await cluster.store.jobs.createIfAbsent(newJob(TENANT, 'digest', p.id, dueAt, new Date().toISOString()));
      jobs.push({ personId: p.id, conversationId: p.conversationId });
    }
    for (let i = 0; i < REMINDERS; i++) {
      const id = `D-${4101 + i}`;
      const { deal, etag } = (await cluster.store.deals.get(TENANT, id))!;
      const at = new Date(started + ((i + 1) * (DURATION_MS - 2000)) / (REMINDERS + 1)).toISOString();
      await cluster.store.deals.replace({ ...deal, approval: { ...deal.approval!, levels: [{ ...deal.approval!.levels[0], remindAt: at }, ...deal.approval!.levels.slice(1)] }, approvalDueAt: at }, etag);
      reminded.push(id);
    }
    const loop = (work: () => Promise<void>) => (async () => {
      while (Date.now() < until) await work();
    })();
    await Promise.all([loop(ownerSets), loop(ownerSets), loop(crmChanges), loop(crmChanges), loop(memberPresses), loop(memberPresses)]);
    const workloadMs = Date.now() - started;
    await sleep(Math.max(0, started + DURATION_MS - Date.now()));
    await cluster.quiet(60_000, jobs.map((j) => ({ id: `digest|${j.personId}`, runs: 1 })));

    // No deadlock: every request answered; none took anywhere near its timeout.
    const failed = requests.filter((r) => !r.ok);
    assert.deepEqual(failed.slice(0, 5), [], `${failed.length} requests failed or went unanswered`);

    // No lost update: every acknowledged value is in the history exactly once, and nothing else is.
    const lost: string[] = [];
    const doubled: string[] = [];
    let alertsChecked = 0;
    const duplicates: string[] = [];
    const sentBy = new Map<string, number>();
    for (const { id } of deals) {
      const deal = (await cluster.store.deals.get(TENANT, id))!.deal;
      // The whole history: the deal keeps its latest entries and archives the rest (issue 14, item 7).
      const history = (await readEntryPage({ store: cluster.store } as AppDeps, deal, 'history', Number.MAX_SAFE_INTEGER)).entries.map((e) => e.entry).reverse();
      const changes = history.flatMap((h) => (h.change.kind === 'field' && (h.change.field === 'nextStep' || h.change.field === 'closeDate') ? [h.change] : []));
      const steps = changes.map((c) => c.to);
      for (const value of ledger.get(id)!) {
        const n = steps.filter((s) => s === value).length;
        if (n === 0) lost.push(`${id}: ${value}`);
        if (n > 1) doubled.push(`${id}: ${value} ×${n}`);
      }
      assert.deepEqual(steps.filter((s) => !sent.has(s)), [], 'no value nobody sent');
      assert.deepEqual(steps.filter((s, i) => steps.indexOf(s) !== i), [], `${id}: each change applied once`);
      const last = (field: string) => changes.filter((c) => c.field === field).at(-1)?.to;
      const seeded = deals.find((d) => d.id === id)!;
      assert.equal(deal.nextStep, last('nextStep') ?? seeded.nextStep, 'the stored next step is the last change');
      assert.equal(deal.closeDate, last('closeDate') ?? seeded.closeDate, 'the stored close date is the last change');
      const choices = await cluster.store.people.muteChoices(TENANT, id, [...mutes.get(id)!]);
      for (const person of mutes.get(id)!) assert.equal(choices.get(person), true, `${id}: the acknowledged mute by ${person} kept`);
      assert.deepEqual(deal.outbox, []);

      // No duplicate alert: per conversation, Teams got as many alerts of the deal as there are deliveries.
      const deliveries = await cluster.store.deliveries.listForDeal(TENANT, id, 10_000);
      assert.deepEqual(deliveries.filter((d) => d.state !== 'sent').map((d) => `${d.id}: ${d.state}`), []);
      const expected = new Map<string, number>();
      for (const d of deliveries) {
        const conversationId = conversationOf.get(d.recipient.key)!;
        expected.set(conversationId, (expected.get(conversationId) ?? 0) + 1);
        sentBy.set(d.sentBy ?? '?', (sentBy.get(d.sentBy ?? '?') ?? 0) + 1);
      }
      for (const conversationId of new Set(conversationOf.values())) {
        const got = cluster.messages(conversationId, new RegExp(`\\b${id}\\b`), ALERT).length;
        alertsChecked += got;
        if (got !== (expected.get(conversationId) ?? 0)) duplicates.push(`${id} → ${conversationId}: ${got} sent, ${expected.get(conversationId) ?? 0} deliveries`);
      }
    }
    assert.deepEqual(lost, [], 'no acknowledged change lost');
    assert.deepEqual(doubled, [], 'no change applied twice');
    const leaseLines = instances.flatMap((r) => r.output().split('\n').filter((l) => /lease|not recorded|changed meanwhile/.test(l)).map((l) => l.slice(0, 300)));
    assert.deepEqual(duplicates, [], `each alert once per recipient; what the instances logged of leases:\n${leaseLines.join('\n')}`);

    // No job run twice; each period's digest delivered once.
    for (const { personId, conversationId } of jobs) {
      const job = (await cluster.store.jobs.get(TENANT, `digest|${personId}`))!.job;
      assert.equal(job.runs, 1, `${job.id} ran once`);
      const delivery = (await cluster.store.deliveries.get(TENANT, undefined, digestMessageId(personId, job.lastPeriod!)))!.delivery;
      assert.equal(delivery.state, 'sent');
      sentBy.set(delivery.sentBy ?? '?', (sentBy.get(delivery.sentBy ?? '?') ?? 0) + 1);
      assert.equal(cluster.messages(conversationId).length, 1, `one digest to ${personId}`);
    }
    for (const id of reminded) {
      const deal = (await cluster.store.deals.get(TENANT, id))!.deal;
      assert.equal(deal.approvalTrail.filter((e) => e.event === 'reminded').length, 1, `${id}: reminded once`);
      for (const c of ['a:personal-megan', 'a:personal-adele']) assert.equal(cluster.messages(c, new RegExp(`\\b${id}\\b`), /Reminder:/).length, 1, `${id}: one reminder to ${c}`);
    }

    // The work was spread: deliveries sent by, and jobs run by, more than one instance.
    // The run logs: which instance ran which job for which period; no (job, period) twice over the three.
    const runs = instances.map((r) => r.output().split('\n').filter((l) => l.includes('"msg":"job ran"')).map((l) => JSON.parse(l) as { jobId: string; period?: string }));
    const jobsRunBy = runs.map((r) => r.length);
    const runKeys = runs.flat().map((r) => `${r.jobId} ${r.period}`);
    assert.deepEqual(runKeys.filter((k, i) => runKeys.indexOf(k) !== i), [], 'no job run twice for one period (run logs)');
    const requestsBy = instances.map((_, i) => requests.filter((r) => r.instance === i).length);
    const ms = requests.map((r) => r.ms).sort((a, b) => a - b);
    const figures = {
      seed: SEED,
      instances: INSTANCES,
      seconds: Math.round(workloadMs / 1000),
      requests: requests.length,
      byKind: Object.fromEntries(['command', 'webhook', 'press mute', 'press refresh'].map((k) => [k, requests.filter((r) => r.what === k).length])),
      requestsByInstance: requestsBy,
      acknowledgedChanges: [...ledger.values()].reduce((n, v) => n + v.length, 0),
      tryAgain: requests.filter((r) => r.tryAgain).length,
      mutes: [...mutes.values()].reduce((n, v) => n + v.size, 0),
      latencyMs: { median: ms[Math.floor(ms.length / 2)], p99: ms[Math.floor(ms.length * 0.99)], max: ms.at(-1) },
      alertsChecked,
      deliveriesSentByInstance: [...sentBy.values()],
      jobs: jobs.length,
      jobsRunByInstance: jobsRunBy,
      jobRuns: runKeys.length,
      /** Handler runs whose lease expired first (a busy machine, 1 s leases): completed by another instance, sending nothing twice. */
      runsOutlivingTheirLease: instances.reduce((n, r) => n + (r.output().match(/outlived its lease/g) ?? []).length, 0),
      remindersFired: reminded.length,
      lost: lost.length,
      duplicates: duplicates.length + doubled.length,
      unanswered: failed.length,
    };
    console.log(`      three instances: ${JSON.stringify(figures)}`);
    assert.ok(sentBy.size >= 2 && ![...sentBy.keys()].includes('?'), `deliveries sent by several instances: ${JSON.stringify([...sentBy])}`);
    assert.ok(requestsBy.every((n) => n > 0), 'each instance answered requests');
    assert.ok(jobsRunBy.filter((n) => n > 0).length >= 2 || jobs.length < 3, `jobs run by more than one instance: ${jobsRunBy}`);
  });
});
