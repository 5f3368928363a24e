import assert from 'node:assert/strict';
import type { AppDeps } from '../../src/app/context';
import { readEntryPage } from '../../src/app/read-entry-page';
import type { Deal } from '../../src/domain/deal';
import { contosoForm, TENANT } from '../bot/deal-fixtures';
import type { UserKey } from '../support/activities';
import { FAULT_KINDS } from '../support/fault-proxy';
import { sleep, waitFor } from '../support/wait-for';
import { FaultyDealDesk, LEAK, shown, TRY_AGAIN } from './fault-harness';

/**
 * Item 9 of issue 8: DealDesk with its store behind a fault-injecting proxy (429 with x-ms-retry-after-ms,
 * 503, 408, held-then-dropped requests, connection resets; reads and writes alike) under a mixed workload
 * from several users. The test keeps a ledger of what each user was told and compares it with the store,
 * read straight from the server. CHAOS=1 runs the long version.
 */
const CHAOS = process.env.CHAOS === '1';
const USERS: UserKey[] = CHAOS ? ['alex', 'megan', 'adele', 'isaiah', 'patti', 'lynne'] : ['alex', 'megan', 'adele', 'isaiah'];
const OPS_PER_USER = CHAOS ? 80 : 12;
const FAULT_RATE = 0.2;

type Told = 'ok' | 'tryAgain' | 'refused';
interface Entry {
  user: UserKey;
  op: 'create' | 'set' | 'move' | 'edit' | 'read';
  told: Told;
  /** The deal acted on (for a create: the one it said it created). */
  dealId?: string;
  /** What makes the change recognisable in the store: a title (create), a next step (set/edit), a stage (move). */
  mark?: string;
  ms: number;
  text: string;
}

const readyz = async (url: string) => (await fetch(`${url}/readyz`)).status;

describe('store faults: DealDesk behind a fault-injecting Cosmos proxy (issue 8, item 9)', function () {
  this.timeout(CHAOS ? 600_000 : 60_000);
  const h = new FaultyDealDesk({ ALERT_COALESCE_MS: '2000' });
  const ledger: Entry[] = [];
  const bad: string[] = [];
  let workloadMs = 0;

  before(() => h.start());
  after(async () => {
    const ops = ledger.length;
    const by = (t: Told) => ledger.filter((e) => e.told === t).length;
    const slowest = Math.max(...ledger.map((e) => e.ms));
    // The figures for docs/reliability.md.
    console.log(`      store faults: ${ops} operations by ${USERS.length} users in ${(workloadMs / 1000).toFixed(1)} s; told ok ${by('ok')}, try again ${by('tryAgain')}, refused ${by('refused')}; slowest answer ${slowest} ms`);
    console.log(`      injected ${h.proxy.total} faults: ${JSON.stringify(h.proxy.injected)}; forwarded ${JSON.stringify(h.proxy.forwarded)}`);
    await h.stop();
  });

  /** Classifies an answer; anything but a result, a domain refusal or a clear "try again" is recorded as bad. */
  function tell(entry: Omit<Entry, 'told' | 'text'>, status: number, text: string, success: RegExp): Entry {
    let told: Told = 'refused';
    if (status !== 200) bad.push(`${entry.user} ${entry.op}: HTTP ${status}`);
    else if (!text.trim()) bad.push(`${entry.user} ${entry.op}: no answer at all`);
    else if (LEAK.test(text)) bad.push(`${entry.user} ${entry.op}: leaked "${text.slice(0, 200)}"`);
    if (success.test(text)) told = 'ok';
    else if (TRY_AGAIN.test(text)) told = 'tryAgain';
    const e = { ...entry, told, text: text.slice(0, 300) };
    ledger.push(e);
    return e;
  }

  async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
    const started = Date.now();
    const value = await run();
    return [value, Date.now() - started];
  }

  /** One user's session: creates deals, sets next steps, moves them back and forth, saves the edit form, reads others'. */
  async function session(user: UserKey, round: string): Promise<void> {
    let deal: string | undefined;
    let stage: 'Prospect' | 'Qualify' = 'Prospect';
    for (let i = 0; i < OPS_PER_USER; i++) {
      const step = !deal ? 0 : i % 5;
      const mark = `${round}${user}-${i}`;
      if (step === 0) {
        const title = `T-${mark}`;
        const [a, ms] = await timed(() => h.press('deal.create', { ...contosoForm, title }, { as: user }));
        const e = tell({ user, op: 'create', mark: title, ms }, a.status, shown(a), new RegExp(`Created (D-\\d+)\\.[\\s\\S]*${title}`));
        if (e.told === 'ok') {
          e.dealId = /Created (D-\d+)/.exec(e.text)![1];
          deal = e.dealId;
          stage = 'Prospect';
        }
      } else if (step === 1 || step === 4) {
        const [a, ms] = await timed(() => h.say(`set ${deal} next step N-${mark}`, { as: user }));
        tell({ user, op: 'set', dealId: deal, mark: `N-${mark}`, ms }, a.status, shown(a), /Next step updated\./);
      } else if (step === 2) {
        const to: 'Prospect' | 'Qualify' = stage === 'Prospect' ? 'Qualify' : 'Prospect';
        const [a, ms] = await timed(() => h.say(`move ${deal} to ${to.toLowerCase()}`, { as: user }));
        const e = tell({ user, op: 'move', dealId: deal, mark: to, ms }, a.status, shown(a), new RegExp(`Moved to ${to}\\.`));
        if (e.told === 'ok') stage = to;
      } else {
        // A button press: the edit form saved, on the revision the user saw.
        const seen = await h.truth.deals.get(TENANT, deal!);
        const [a, ms] = await timed(() => h.press('deal.update', { ...contosoForm, title: seen!.deal.title, dealId: deal, rev: seen!.deal.rev, nextStep: `E-${mark}` }, { as: user }));
        tell({ user, op: 'edit', dealId: deal, mark: `E-${mark}`, ms }, a.status, shown(a), /Saved\./);
      }
      if (i % 3 === 2) {
        const [a, ms] = await timed(() => h.say('my deals', { as: user }));
        tell({ user, op: 'read', ms }, a.status, shown(a), /Prospect|Qualify|deal/i);
      }
    }
  }

  it(`a mixed workload at a ${FAULT_RATE * 100} % fault rate: every acknowledged change is stored exactly once, nothing refused is half applied, every user gets an answer`, async () => {
    const started = Date.now();
    // Round A: faults that never reach the store (nothing applied).
    h.proxy.rate(FAULT_RATE, FAULT_RATE, FAULT_KINDS).setHoldMs(1500);
    await Promise.all(USERS.map((u) => session(u, 'A')));
    // Round B: the request reaches the store and only its answer is lost (a timeout, a reset, a 408/503 from a
    // gateway): a write that landed must be reported done, never "nothing changed" (then retried: twice).
    h.proxy.rate(FAULT_RATE, FAULT_RATE, ['408', '503', 'timeout', 'reset']).afterApply = true;
    await Promise.all(USERS.map((u) => session(u, 'B')));
    workloadMs = Date.now() - started;
    h.proxy.rate(0).afterApply = false;

    assert.deepEqual(bad, [], 'every answer is a result or a clear "try again"');
    assert.ok(h.proxy.total >= (CHAOS ? 200 : 20), `faults were injected (${h.proxy.total})`);
    for (const kind of FAULT_KINDS) assert.ok(h.proxy.injected[kind] > 0, `some ${kind} faults were injected`);
    assert.ok(h.proxy.log.some((f) => f.afterApply), 'some faults came after the store had applied the request');
    assert.ok(ledger.some((e) => e.told === 'tryAgain'), 'some users were told to try again');

    // The ledger against the store.
    const problems: string[] = [];
    const deals = new Map<string, Deal>();
    // With the whole history: the deal keeps its latest entries and archives the rest (issue 14, item 7).
    const whole = async (deal: Deal): Promise<Deal> => ({ ...deal, history: (await readEntryPage({ store: h.truth } as AppDeps, deal, 'history', Number.MAX_SAFE_INTEGER)).entries.map((x) => x.entry).reverse() });
    const dealOf = async (id: string) => deals.get(id) ?? deals.set(id, await whole((await h.truth.deals.get(TENANT, id))!.deal)).get(id)!;
    for (const e of ledger.filter((x) => x.op === 'create')) {
      const found = await h.truth.deals.findByTitle(TENANT, e.mark!, 50);
      const exact = found.filter((d) => d.title === e.mark);
      if (e.told === 'ok' && (exact.length !== 1 || exact[0]!.id !== e.dealId)) problems.push(`create ${e.mark} acknowledged as ${e.dealId}: stored ${exact.map((d) => d.id).join(', ') || 'nowhere'}`);
      if (e.told !== 'ok' && exact.length !== 0) problems.push(`create ${e.mark} told "${e.told}" but stored as ${exact.map((d) => d.id).join(', ')}`);
    }
    for (const e of ledger.filter((x) => x.op === 'set' || x.op === 'edit')) {
      const deal = await dealOf(e.dealId!);
      const entries = deal.history.filter((x) => x.change.kind === 'field' && x.change.field === 'nextStep' && x.change.to === e.mark);
      if (e.told === 'ok' && entries.length !== 1) problems.push(`${e.op} ${e.mark} on ${e.dealId} acknowledged: ${entries.length} history entries`);
      if (e.told !== 'ok' && entries.length !== 0) problems.push(`${e.op} ${e.mark} on ${e.dealId} told "${e.told}" but applied ${entries.length} times`);
    }
    for (const id of new Set(ledger.filter((x) => x.op === 'move').map((x) => x.dealId!))) {
      const acked = ledger.filter((x) => x.op === 'move' && x.dealId === id && x.told === 'ok');
      const deal = await dealOf(id);
      const moves = deal.history.filter((x) => x.change.kind === 'stage');
      if (moves.length !== acked.length) problems.push(`${id}: ${acked.length} moves acknowledged, ${moves.length} stored`);
      const expected = acked.at(-1)?.mark ?? 'Prospect';
      if (deal.stage !== expected) problems.push(`${id}: stage ${deal.stage}, last acknowledged ${expected}`);
    }
    // Every revision is one history entry or more: a doubled write would show as a revision without its change.
    assert.deepEqual(problems, [], 'the store matches the ledger');
  });

  it('/readyz goes 503 while the store is down and 200 when it returns; users are told to try again meanwhile; an alert queued before the outage is delivered after it', async () => {
    await waitFor('ready', async () => (await readyz(h.app.url)) === 200, 10_000);
    // Megan is on the team of a deal of Alex's: his changes alert her (in her 1:1 chat).
    await h.say('help', { as: 'megan' });
    const created = await h.press('deal.create', { ...contosoForm, title: 'Outage deal' }, { as: 'alex' });
    const id = /Created (D-\d+)/.exec(shown(created))![1]!;
    assert.match(shown(await h.say(`add Megan Bowen to ${id} as architect`, { as: 'alex' })), /Megan Bowen/);
    const proactive = () => h.connector.sent.filter((s) => s.kind === 'send' && !s.replyToId && !s.body.replyToId && JSON.stringify(s.body).includes(id));
    const before = proactive().length;
    const alertsToMegan = () => proactive().length - before;

    // Alerts are coalesced for 2 s: the one this change queues falls due in the middle of the outage.
    assert.match(shown(await h.say(`move ${id} to qualify`, { as: 'alex' })), /Moved to Qualify\./);
    await h.proxy.goDown();
    assert.equal(alertsToMegan(), 0, 'not delivered before the outage');
    const wentDown = Date.now();
    await waitFor('/readyz 503 while the store is down', async () => (await readyz(h.app.url)) === 503, 15_000);
    const downAfterMs = Date.now() - wentDown;

    const [during, ms] = await (async () => { const t = Date.now(); const a = await h.say(`move ${id} to prospect`, { as: 'alex' }); return [a, Date.now() - t] as const; })();
    assert.equal(during.status, 200);
    assert.match(shown(during), TRY_AGAIN);
    assert.doesNotMatch(shown(during), LEAK);
    await sleep(Math.max(0, 2500 - (Date.now() - wentDown))); // past the alert's due time

    await h.proxy.goUp();
    const cameBack = Date.now();
    await waitFor('/readyz 200 once the store is back', async () => (await readyz(h.app.url)) === 200, 15_000);
    const readyAfterMs = Date.now() - cameBack;
    await waitFor('the alert queued before the outage delivered after it', () => alertsToMegan() >= 1, 15_000);
    await sleep(300);
    assert.equal(alertsToMegan(), 1, 'delivered once');
    assert.match(proactive().at(-1)!.conversationId, /megan/);
    const stored = (await h.truth.deals.get(TENANT, id))!.deal;
    assert.equal(stored.stage, 'Qualify', 'the move refused during the outage was not applied');
    assert.equal(stored.history.filter((x) => x.change.kind === 'stage').length, 1);
    // Work after the outage is normal.
    assert.match(shown(await h.say(`set ${id} next step After`, { as: 'alex' })), /Next step updated\./);
    console.log(`      outage: /readyz 503 after ${downAfterMs} ms down, 200 again ${readyAfterMs} ms after it returned; a command during it answered "try again" in ${ms} ms`);
  });
});
