import { performance } from 'node:perf_hooks';
import type { Store } from '../../src/ports/store.port';
import { type Driver, revOf } from './driver';
import { TENANT } from './seed';
import { type LatencyStats, summarise } from './stats';

/**
 * The turn benchmark: each command over real HTTP, one request after another (latency), then a few at once
 * (throughput). A case's `op` does one turn, checks its answer, and returns the label its sample counts under.
 */
export interface TurnCase {
  name: string;
  /** Which floor it is compared with: a message turn (reply through the connector) or an invoke (Action.Execute). */
  kind: 'message' | 'invoke';
  op(i: number, worker: number): Promise<string>;
  /** Checks, after a phase, that what the turns changed is in the store as expected. */
  verify?(): Promise<void>;
}

export interface TurnResult {
  label: string;
  kind: 'message' | 'invoke';
  latency: LatencyStats;
  /** Turns per second with `concurrency` clients, when measured. */
  throughput?: number;
  /** CPU time of the whole process (bot, store, fake Teams, load generator, background loops) per sequential turn. */
  cpuMsPerTurn?: number;
  cutShort: boolean;
}

export interface TurnOptions {
  warmup: number;
  iterations: number;
  budgetMs: number;
  concurrency: number;
  throughputMs: number;
}

/** The measured user's commands, on their own deals. `concurrency` splits the deals between clients. */
export async function dealDeskCases(driver: Driver, store: Store, deals: { mine: string[]; prospect: string[] }, concurrency: number): Promise<TurnCase[]> {
  const half = Math.ceil(deals.prospect.length / 2);
  const forMoves = deals.prospect.slice(0, half);
  const forButtons = deals.prospect.slice(half);
  const mineOf = (list: string[], worker: number) => list.filter((_, k) => k % concurrency === worker);
  const pick = (list: string[], worker: number, i: number) => {
    const own = mineOf(list, worker);
    return own[i % own.length]!;
  };
  // Where each deal stands now (an earlier run may have left it in Qualify), read before anything is timed.
  const stage = new Map<string, 'Prospect' | 'Qualify'>();
  const rev = new Map<string, number>();
  for (const id of deals.prospect) {
    const { deal } = (await store.deals.get(TENANT, id))!;
    stage.set(id, deal.stage === 'Qualify' ? 'Qualify' : 'Prospect');
    rev.set(id, deal.rev);
  }

  const expectCard = (card: Record<string, any>, what: string, pattern: RegExp) => {
    if (!pattern.test(JSON.stringify(card))) throw new Error(`${what}: unexpected reply ${JSON.stringify(card).slice(0, 300)}`);
  };
  const checkStages = async (ids: string[]) => {
    for (const id of ids) {
      const stored = await store.deals.get(TENANT, id);
      const want = stage.get(id)!;
      if (stored?.deal.stage !== want) throw new Error(`${id} is in ${stored?.deal.stage}, the turns left it in ${want}: a move failed`);
      if (forButtons.includes(id) && stored.deal.rev !== rev.get(id)) throw new Error(`${id} has rev ${stored.deal.rev}, the cards said ${rev.get(id)}`);
    }
  };

  return [
    {
      name: 'my deals',
      kind: 'message',
      op: async () => {
        expectCard(await driver.say('my deals'), 'my deals', /Prospect/);
        return 'my deals';
      },
    },
    {
      name: 'deal <ref>',
      kind: 'message',
      op: async (i, w) => {
        const id = pick(deals.mine, w, i);
        expectCard(await driver.say(`deal ${id}`), "deal", new RegExp(`${id} ·`));
        return 'deal <ref>';
      },
    },
    {
      name: 'move <ref> to <stage>',
      kind: 'message',
      op: async (i, w) => {
        const id = pick(forMoves, w, i);
        const back = stage.get(id) === 'Qualify';
        const card = await driver.say(back ? `move ${id} to prospect back for rework after review` : `move ${id} to qualify`);
        expectCard(card, 'move', back ? /Moved to Prospect/ : /Moved to Qualify/);
        stage.set(id, back ? 'Prospect' : 'Qualify');
        return back ? 'move <ref> to prospect <reason> (back)' : 'move <ref> to qualify (forward)';
      },
      verify: () => checkStages(forMoves),
    },
    {
      name: 'button (Action.Execute)',
      kind: 'invoke',
      op: async (i, w) => {
        const id = pick(forButtons, w, i);
        const back = stage.get(id) === 'Qualify';
        const seen = rev.get(id)!;
        const card = back
          ? await driver.press('deal.move', { dealId: id, rev: seen, target: 'Prospect', note: 'back to prospect for rework' })
          : await driver.press('deal.advance', { dealId: id, rev: seen });
        const next = revOf(card, id);
        if (next !== seen + 1) throw new Error(`button on ${id}: rev ${seen} → ${next} (stale or failed press) ${JSON.stringify(card).slice(0, 200)}`);
        rev.set(id, next);
        stage.set(id, back ? 'Prospect' : 'Qualify');
        return back ? 'button deal.move (back, with reason)' : 'button deal.advance';
      },
      verify: () => checkStages(forButtons),
    },
    {
      name: 'unknown command',
      kind: 'message',
      op: async () => {
        expectCard(await driver.say('blorp the frobnicator'), 'unknown', /didn't get that/);
        return 'unknown command';
      },
    },
  ];
}

/**
 * `pipeline` (the other word for `my deals`: the same use case, typed differently) and a compose-box deal search for
 * `fragment`, which must find `expected` deals or more (a full page is 25).
 */
export function pipelineAndSearchCases(driver: Driver, fragment: string, expected: number): TurnCase[] {
  return [
    {
      name: 'pipeline',
      kind: 'message',
      op: async () => {
        const card = await driver.say('pipeline');
        if (!/Prospect/.test(JSON.stringify(card))) throw new Error(`pipeline: unexpected reply ${JSON.stringify(card).slice(0, 300)}`);
        return 'pipeline';
      },
    },
    {
      name: `search "${fragment}" (compose box)`,
      kind: 'invoke',
      op: async () => {
        const found = await driver.search(fragment);
        if (found.length < expected || !found.every((a) => JSON.stringify(a.preview ?? '').toLowerCase().includes(fragment.toLowerCase()) || JSON.stringify(a.content).toLowerCase().includes(fragment.toLowerCase()))) {
          throw new Error(`search "${fragment}": ${found.length} results, expected ${expected} matching ones`);
        }
        return `search "${fragment}" (compose box)`;
      },
    },
  ];
}

/** The floor bot's two kinds of turn: a message answered with a fixed card, an Action.Execute answered with it. */
export function floorCases(driver: Driver): TurnCase[] {
  return [
    { name: 'floor: message → fixed card', kind: 'message', op: async () => (await driver.say('my deals'), 'floor: message → fixed card') },
    { name: 'floor: Action.Execute → fixed card', kind: 'invoke', op: async () => (await driver.press('deal.show', { dealId: 'D-1001' }), 'floor: Action.Execute → fixed card') },
  ];
}

/** Latency (sequential) then throughput (`concurrency` clients) of each case. */
export async function measureTurns(cases: TurnCase[], options: TurnOptions, progress: (line: string) => void = () => undefined): Promise<TurnResult[]> {
  const results: TurnResult[] = [];
  for (const c of cases) {
    for (let i = 0; i < options.warmup; i++) await c.op(i, 0);
    const samples = new Map<string, number[]>();
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    let n = 0;
    while (n < options.iterations && performance.now() - started < options.budgetMs) {
      const t = performance.now();
      const label = await c.op(options.warmup + n, 0);
      const ms = performance.now() - t;
      const list = samples.get(label) ?? [];
      list.push(ms);
      samples.set(label, list);
      n++;
    }
    const cpu = process.cpuUsage(cpu0);
    const cpuMsPerTurn = (cpu.user + cpu.system) / 1000 / Math.max(1, n);
    await c.verify?.();
    let throughput: number | undefined;
    if (options.throughputMs > 0) {
      let completed = 0;
      const from = performance.now();
      const until = from + options.throughputMs;
      await Promise.all(
        Array.from({ length: options.concurrency }, async (_, w) => {
          for (let i = 0; performance.now() < until; i++) {
            await c.op(1_000_000 + i, w);
            completed++;
          }
        }),
      );
      throughput = (completed * 1000) / (performance.now() - from);
      await c.verify?.();
    }
    for (const [label, values] of samples) {
      results.push({ label, kind: c.kind, latency: summarise(values), throughput: samples.size === 1 ? throughput : undefined, cpuMsPerTurn: samples.size === 1 ? cpuMsPerTurn : undefined, cutShort: n < options.iterations });
    }
    if (samples.size > 1) results.push({ label: `${c.name} (all)`, kind: c.kind, latency: summarise([...samples.values()].flat()), throughput, cpuMsPerTurn, cutShort: n < options.iterations });
    const shown = results.filter((r) => samples.has(r.label) || r.label.startsWith(c.name));
    for (const r of shown) progress(`  ${r.label}: n=${r.latency.n} p50 ${r.latency.p50.toFixed(1)} p95 ${r.latency.p95.toFixed(1)} p99 ${r.latency.p99.toFixed(1)} ms${r.throughput ? `, ${r.throughput.toFixed(0)}/s` : ''}`);
  }
  return results;
}
