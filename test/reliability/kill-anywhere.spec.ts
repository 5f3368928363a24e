import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { newDeal } from '../../src/domain/deal-draft';
import type { Deal } from '../../src/domain/deal';
import { newJob } from '../../src/domain/job';
import { digestMessageId } from '../../src/app/send-digest';
import { USERS, cardPress, channelText, personalText, type UserKey } from '../support/activities';
import type { RunningMain } from '../support/run-main';
import { contosoForm } from '../bot/deal-fixtures';
import { Cluster, TENANT, prng, seedRecipients, seedUsers, sleep, waitFor } from './support/cluster';

/**
 * Item 11 of issue 8: SIGKILL at a random moment during a deal update, a fan-out, an approval decision
 * and a scheduler tick, each followed by a restart (a new process on the same store). After each: the
 * deal is before or after the change, never half; every alert and notice reached each recipient once;
 * every due job ran once. `npm test` runs 20 kills (5 per phase, about a minute: each restart is a new
 * process, ~2 s of CPU to load); CHAOS=1 runs as many as fit in CHAOS_MINUTES (default 5; at most
 * CHAOS_ITERATIONS, default 1000). KILL_SEED repeats a run.
 */
const CHAOS = process.env.CHAOS === '1';
const SEED = Number(process.env.KILL_SEED ?? Math.floor(Math.random() * 1e9));
const MAX_ITERATIONS = CHAOS ? Number(process.env.CHAOS_ITERATIONS ?? 1000) : Number(process.env.KILL_ITERATIONS ?? 20);
const BUDGET_MS = CHAOS ? Number(process.env.CHAOS_MINUTES ?? 5) * 60_000 : 10 * 60_000;
const PHASES = ['update', 'fan-out', 'approval', 'tick'] as const;
type Phase = (typeof PHASES)[number];

const ALEX = { id: USERS.alex.aadObjectId, name: USERS.alex.name };
const ALERT = /Changed by/;

interface Duplicate {
  iteration: number;
  phase: Phase;
  conversationId: string;
  what: string;
  copies: number;
  /** Copies Teams accepted before the killed process was gone: the documented at-least-once window is exactly one. */
  copiesBeforeExit: number;
  /** ms from Teams accepting the first copy to the SIGKILL (negative: a request already on the wire). */
  firstCopyBeforeKillMs: number;
  /** The delivery's attempts, where the test can find it (alerts): a resend after a lost 'sent' is 2. */
  attempts?: number;
}

interface Kill {
  killedAt: number;
  exitedAt: number;
  /** Date.now() at the kill, to compare with the times the store records. */
  killedAtIso: string;
}

interface Tally {
  iterations: number;
  kills: Record<Phase, number>;
  /** Of the kills: how many came before the change was stored (the deal as before) and after. */
  before: Record<Phase, number>;
  after: Record<Phase, number>;
  /** What the user whose request was cut off saw. */
  answered: number;
  noAnswer: number;
  deliveriesChecked: number;
  jobsChecked: number;
  duplicates: Duplicate[];
  lost: string[];
  restartMs: number[];
  /** Scheduler rounds the killed process had partly done: the timer fired, the job's run completed. */
  tickDoneBeforeKill: { timer: number; job: number };
}

describe('SIGKILL anywhere, then a restart: nothing half-done, nothing lost, nothing twice (child processes)', function () {
  this.timeout(BUDGET_MS + 180_000);
  const cluster = new Cluster();
  const random = prng(SEED);
  const uniform = (min: number, max: number) => Math.round(min + random() * (max - min));
  const tally: Tally = {
    iterations: 0,
    kills: { update: 0, 'fan-out': 0, approval: 0, tick: 0 },
    before: { update: 0, 'fan-out': 0, approval: 0, tick: 0 },
    after: { update: 0, 'fan-out': 0, approval: 0, tick: 0 },
    answered: 0,
    noAnswer: 0,
    deliveriesChecked: 0,
    jobsChecked: 0,
    duplicates: [],
    lost: [],
    restartMs: [],
    tickDoneBeforeKill: { timer: 0, job: 0 },
  };
  let current: RunningMain;
  const serviceUrl = () => cluster.teams.url;
  const say = (text: string, as: UserKey = 'alex') => cluster.post(current, personalText(text, { as, serviceUrl: serviceUrl() }));

  before(async () => {
    await cluster.open();
    await seedUsers(cluster.store, serviceUrl());
    await cluster.keepSpare();
    current = await cluster.start();
    // Approval set-up, as an admin does it (Alex is the local admin): the channel, and level 1's approvers.
    assert.equal((await cluster.post(current, channelText('approvals here', { serviceUrl: serviceUrl() }))).status, 200);
    assert.equal((await say('set approvers 1 megan bowen, adele vance any')).status, 200);
  });
  after(async () => {
    console.log(`      kill-anywhere (seed ${SEED}): ${JSON.stringify(summary(tally))}; process starts (ms) ${JSON.stringify(startSummary(cluster.startTimes))}`);
    await cluster.close();
  });

  /** A deal owned by Alex with `members` team members (1:1 chats) and `channels` following channels. */
  async function seedDeal(number: number, members: number, channels: number) {
    const now = new Date().toISOString();
    const deal = newDeal({ ...contosoForm, serviceLines: 'Consulting' }, { number, tenantId: TENANT, owner: ALEX, now });
    const { people, channelIds } = await seedRecipients(cluster.store, serviceUrl(), String(number), members, channels, deal);
    for (const p of people) deal.team.push({ person: { id: p.id, name: p.name }, role: 'Consultant' });
    await cluster.store.deals.create(deal);
    return { deal, conversations: [...people.map((p) => p.conversationId), ...channelIds] };
  }

  const stored = async (id: string): Promise<Deal> => (await cluster.store.deals.get(TENANT, id))!.deal;

  /** Kills the current process, starts a new one, and waits until the store is quiet; when it was killed and when gone (performance.now). */
  async function killAndRestart(phase: Phase, jobs: Array<{ id: string; runs: number }> = []): Promise<Kill> {
    const victim = current;
    const killedAt = performance.now();
    const killedAtIso = new Date().toISOString();
    await cluster.kill(victim);
    const exitedAt = performance.now();
    tally.kills[phase]++;
    const started = Date.now();
    current = await cluster.start();
    await cluster.quiet(30_000, jobs);
    tally.restartMs.push(Date.now() - started);
    return { killedAt, exitedAt, killedAtIso };
  }

  /** Each conversation got `expected` messages matching `needles`; a second copy is recorded with its timing. */
  function expectOnce(iteration: number, phase: Phase, conversations: string[], expected: 0 | 1, what: string, { killedAt, exitedAt }: Kill, ...needles: RegExp[]) {
    for (const conversationId of conversations) {
      const got = cluster.messages(conversationId, ...needles);
      tally.deliveriesChecked++;
      if (got.length < expected) tally.lost.push(`iteration ${iteration} (${phase}): ${what} never reached ${conversationId}`);
      if (got.length > 1) {
        tally.duplicates.push({ iteration, phase, conversationId, what, copies: got.length, copiesBeforeExit: got.filter((m) => m.at <= exitedAt).length, firstCopyBeforeKillMs: Math.round(killedAt - got[0].at) });
      }
      if (expected === 0 && got.length > 0) tally.lost.push(`iteration ${iteration} (${phase}): ${what} reached ${conversationId} though the change was not stored`);
    }
  }

  /** (a) and (b): Alex moves the deal; the process dies while storing it, or while fanning the alert out. */
  async function moveAndKill(iteration: number, phase: 'update' | 'fan-out') {
    const number = 3000 + iteration;
    const { deal, conversations } = await seedDeal(number, phase === 'update' ? 3 : 8, phase === 'update' ? 2 : 12);
    const activity = personalText(`move ${deal.id} to qualify`, { as: 'alex', serviceUrl: serviceUrl() });
    let answer: Awaited<ReturnType<Cluster['post']>> | undefined;
    const request = cluster.post(current, activity).then((a) => (answer = a));
    if (phase === 'update') {
      await sleep(uniform(0, 80)); // a move takes some 10–60 ms here: kills land before, during and after it
    } else {
      await waitFor('the fan-out to start', () => conversations.some((c) => cluster.messages(c, new RegExp(deal.id), ALERT).length > 0), 20_000, 5);
      await sleep(uniform(0, 120));
    }
    const kill = await killAndRestart(phase);
    await request;
    const acknowledged = answer?.status === 200 && cluster.teams.sent.some((s) => s.replyToId === activity.id);
    if (acknowledged) tally.answered++;
    else tally.noAnswer++;

    const after = await stored(deal.id);
    const changed = after.rev !== deal.rev;
    (changed ? tally.after : tally.before)[phase]++;
    if (changed) {
      assert.equal(after.rev, deal.rev + 1, `iteration ${iteration}: one change, one revision`);
      assert.equal(after.history.length, deal.history.length + 1, `iteration ${iteration}: one history entry`);
      assert.deepEqual(after.history.at(-1)!.change, { kind: 'stage', from: 'Prospect', to: 'Qualify' });
      assert.equal(after.stage, 'Qualify');
    } else {
      assert.equal(after.stage, deal.stage);
      assert.equal(after.history.length, deal.history.length);
      if (acknowledged) tally.lost.push(`iteration ${iteration} (${phase}): the move was acknowledged but is not stored`);
    }
    assert.deepEqual(after.outbox, [], 'every alert handed to delivery');
    const deliveries = await cluster.store.deliveries.listForDeal(TENANT, deal.id, 100);
    assert.equal(deliveries.length, changed ? conversations.length : 0);
    assert.deepEqual(deliveries.filter((d) => d.state !== 'sent').map((d) => `${d.id}: ${d.state}`), []);
    const before = tally.duplicates.length;
    expectOnce(iteration, phase, conversations, changed ? 1 : 0, `the alert of ${deal.id}`, kill, new RegExp(deal.id), ALERT);
    for (const d of tally.duplicates.slice(before)) d.attempts = deliveries.find((x) => (x.recipient.kind === 'channel' ? x.recipient.key : `a:${x.recipient.key}`) === d.conversationId)?.attempts;
  }

  /** A deal whose approval Alex requested (level 1: Megan or Adele), every request notice delivered. */
  async function pendingApproval(number: number) {
    const { deal } = await seedDeal(number, 0, 0);
    const requested = await say(`request approval ${deal.id}`);
    assert.equal(requested.status, 200);
    await cluster.quiet(30_000);
    const pending = await stored(deal.id);
    assert.equal(pending.approval?.status, 'pending', `approval of ${deal.id} requested: ${JSON.stringify(pending.approvalTrail)}`);
    return pending;
  }

  /** (c) Megan approves; the process dies while deciding, or while delivering what the decision caused. */
  async function decideAndKill(iteration: number) {
    const deal = await pendingApproval(3000 + iteration);
    const press = cardPress('approval.decide', { dealId: deal.id, round: 1, levelId: 'manager', decision: 'approved', comment: '' }, { as: 'megan', serviceUrl: serviceUrl() });
    let answer: Awaited<ReturnType<Cluster['post']>> | undefined;
    const request = cluster.post(current, press).then((a) => (answer = a));
    await sleep(uniform(0, 80)); // as for a move: before, during or after the decision
    const kill = await killAndRestart('approval');
    await request;
    const acknowledged = answer?.status === 200 && answer.body?.type === 'application/vnd.microsoft.card.adaptive';
    if (acknowledged) tally.answered++;
    else tally.noAnswer++;

    const after = await stored(deal.id);
    const decisions = after.approvalTrail.filter((e) => e.event === 'decided');
    const approved = after.approval?.status === 'approved';
    (approved ? tally.after : tally.before).approval++;
    assert.equal(decisions.length, approved ? 1 : 0, `iteration ${iteration}: the decision recorded once, with the round's outcome`);
    assert.equal(after.approval!.levels[0].decisions.length, approved ? 1 : 0);
    assert.equal(after.approval!.status, approved ? 'approved' : 'pending');
    assert.deepEqual(after.notices, []);
    if (!approved && acknowledged) tally.lost.push(`iteration ${iteration} (approval): the decision was answered but is not stored`);
    expectOnce(iteration, 'approval', ['a:personal-alex'], approved ? 1 : 0, `"approved" to the owner of ${deal.id}`, kill, new RegExp(deal.id), /is approved\./);
    expectOnce(iteration, 'approval', ['a:personal-megan', 'a:personal-adele'], 1, `the approval request of ${deal.id}`, kill, new RegExp(deal.id), /Your approval is asked/);
  }

  /** (d) A digest job and an approval reminder fall due; the process dies during the scheduler's round. */
  async function tickAndKill(iteration: number) {
    const number = 3000 + iteration;
    const deal = await pendingApproval(number);
    const { people } = await seedRecipients(cluster.store, serviceUrl(), `digest-${number}`, 1, 0);
    const person = people[0];
    const now = new Date();
    const past = new Date(now.getTime() - 60_000).toISOString();
    // Both fall due now: the reminder (a timer inside the deal) and the digest (a job document).
    const { etag } = (await cluster.store.deals.get(TENANT, deal.id))!;
    const level = { ...deal.approval!.levels[0], remindAt: past };
    await cluster.store.deals.replace({ ...deal, approval: { ...deal.approval!, levels: [level, ...deal.approval!.levels.slice(1)] }, approvalDueAt: past }, etag);
    await cluster.store.jobs.createIfAbsent(newJob(TENANT, 'digest', person.id, past, past));
    await sleep(uniform(0, 400)); // the running process's scheduler polls every 100 ms
    const kill = await killAndRestart('tick', [{ id: `digest|${person.id}`, runs: 1 }]);

    const job = (await cluster.store.jobs.get(TENANT, `digest|${person.id}`))!.job;
    tally.jobsChecked++;
    assert.equal(job.runs, 1, `iteration ${iteration}: the digest job ran once`);
    assert.ok(job.lastPeriod && job.dueAt! > now.toISOString(), 'and is due next week');
    const delivery = await cluster.store.deliveries.get(TENANT, undefined, digestMessageId(person.id, job.lastPeriod!));
    assert.equal(delivery?.delivery.state, 'sent', "the period's digest delivery, sent");
    const after = await stored(deal.id);
    const reminded = after.approvalTrail.filter((e) => e.event === 'reminded');
    assert.equal(reminded.length, 1, `iteration ${iteration}: the reminder fired once`);
    // Whether the killed process had got to it: the reminder fired, or the job's run completed, before the kill.
    if (reminded[0].at < kill.killedAtIso) tally.tickDoneBeforeKill.timer++;
    if (job.lastRunAt! < kill.killedAtIso) tally.tickDoneBeforeKill.job++;
    (reminded[0].at < kill.killedAtIso || job.lastRunAt! < kill.killedAtIso ? tally.after : tally.before).tick++;
    expectOnce(iteration, 'tick', [person.conversationId], 1, `the digest of ${person.id}`, kill);
    expectOnce(iteration, 'tick', ['a:personal-megan', 'a:personal-adele'], 1, `the reminder of ${deal.id}`, kill, new RegExp(deal.id), /Reminder:/);
  }

  it(`kills at random points and restarts: ${CHAOS ? 'as many as fit' : `${MAX_ITERATIONS}, a quarter per phase`} (seed in the log)`, async () => {
    const until = Date.now() + BUDGET_MS;
    for (let i = 0; i < MAX_ITERATIONS && Date.now() < until; i++) {
      const phase = PHASES[i % PHASES.length];
      try {
        if (phase === 'update' || phase === 'fan-out') await moveAndKill(i, phase);
        else if (phase === 'approval') await decideAndKill(i);
        else await tickAndKill(i);
      } catch (e) {
        (e as Error).message = `seed ${SEED}, iteration ${i} (${phase}): ${(e as Error).message}`;
        throw e;
      }
      tally.iterations++;
    }
    assert.deepEqual(tally.lost, [], 'nothing lost');
    // A second copy can only come from the documented at-least-once window: Teams accepted the card from the
    // killed process, which died before it recorded 'sent'; the new process sent it again (a second attempt).
    // Two copies from one process, or a resend of a delivery recorded as sent, is a bug.
    const unexplained = tally.duplicates.filter((d) => !(d.copies === 2 && d.copiesBeforeExit === 1 && (d.attempts === undefined || d.attempts >= 2)));
    assert.deepEqual(unexplained, [], 'no duplicate outside the at-least-once window');
  });
});

function startSummary(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  return { starts: sorted.length, median: sorted[Math.floor(sorted.length / 2)], max: sorted.at(-1) };
}

function summary(t: Tally) {
  const sorted = [...t.restartMs].sort((a, b) => a - b);
  return {
    iterations: t.iterations,
    kills: t.kills,
    killedBeforeTheChange: t.before,
    killedAfterTheChange: t.after,
    tickDoneBeforeKill: t.tickDoneBeforeKill,
    duplicatesInTheWindow: t.duplicates.length,
    usersAnswered: t.answered,
    usersCutOff: t.noAnswer,
    recipientChecks: t.deliveriesChecked,
    jobsChecked: t.jobsChecked,
    lost: t.lost.length,
    duplicates: t.duplicates,
    restartToQuietMs: { median: sorted[Math.floor(sorted.length / 2)], max: sorted.at(-1) },
  };
}
