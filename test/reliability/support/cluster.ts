import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../../src/local/embedded-cosmos';
import type { Store } from '../../../src/ports/store.port';
import { createCosmosClient } from '../../../src/store/cosmos-client';
import { openCosmosStore } from '../../../src/store/cosmos-store';
import { USERS } from '../../support/activities';
import { FakeTeams } from '../../support/fake-teams';
import { startMain, startStandby, stopWith, type RunningMain, type Standby } from '../../support/run-main';
import { sleep, waitFor } from '../../support/wait-for';
import { prng } from '../../support/prng';

const ROOT = join(__dirname, '..', '..', '..');
/** Under node_modules so the bundle resolves its external packages as dist/main.js does. */
const BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', 'dealdesk-reliability');

/** The tenant of the activity fixtures (test/fixtures/*.json). */
export const TENANT = '00000000-0000-0000-0000-000000000001';
export const WEBHOOK_SECRET = 'reliability-webhook-secret-0123456789';
/** The far future: "every delivery, claimable or leased" in findClaimable. */
export const FAR_FUTURE = '9999-12-31T00:00:00.000Z';

let bundled: Promise<{ main: string; standby: string }> | undefined;

/**
 * `src/main.ts` bundled once per test run, so each of the many process starts loads one file instead of
 * transpiling hundreds: several times faster on a busy machine. Unlike `npm run build` (deploy/build-artifact.ts,
 * which test/shipped starts exactly as shipped), it leaves the packages it can find in node_modules external and is
 * not minified, so RELIABILITY_SABOTAGE can rewrite sources. RELIABILITY_TSX=1 runs src/main.ts through tsx.
 */
export async function mainCommand(): Promise<string[]> {
  if (process.env.RELIABILITY_TSX === '1') return ['--import', 'tsx', 'src/main.ts'];
  return [(await bundles()).main];
}

/** The same bundle with a standby entry in front (support/standby-main.ts): loaded, started on `go`. */
async function standbyCommand(): Promise<string[]> {
  return [(await bundles()).standby];
}

function bundles(): Promise<{ main: string; standby: string }> {
  bundled ??= (async () => {
    // One directory per test run: runs side by side (or a sabotaged one) do not overwrite each other's bundle.
    const dir = join(BUNDLE_DIR, `run-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const esbuild = require('esbuild') as typeof import('esbuild');
    await esbuild.build({
      entryPoints: { main: join(ROOT, 'src', 'main.ts'), standby: join(__dirname, 'standby-main.ts') },
      bundle: true,
      platform: 'node',
      target: 'node20',
      outdir: dir,
      logLevel: 'warning',
      external: ['dtrace-provider', '@vercel/cosmosdb-server', '@microsoft/m365agentsplayground', '@opentelemetry/api'],
      plugins: sabotage(),
    });
    if (existsSync(join(ROOT, 'cards'))) cpSync(join(ROOT, 'cards'), join(dir, 'cards'), { recursive: true });
    return { main: join(dir, 'main.js'), standby: join(dir, 'standby.js') };
  })();
  return bundled;
}

/**
 * To check that a test goes red without the protection it covers, without touching src/: RELIABILITY_SABOTAGE
 * is a JSON list of `{ "file": "src/…", "from": "…", "to": "…" }` replacements applied to the bundle only, e.g.
 * deliveries already sent made claimable again:
 * `[{"file":"src/store/cosmos-outgoing-message-repository.ts","from":"c.final = false AND c.nextAttemptAt","to":"c.nextAttemptAt"}]`.
 */
function sabotage(): import('esbuild').Plugin[] {
  const edits = JSON.parse(process.env.RELIABILITY_SABOTAGE ?? '[]') as Array<{ file: string; from: string; to: string }>;
  if (edits.length === 0) return [];
  return [{
    name: 'sabotage',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const mine = edits.filter((e) => args.path.endsWith(e.file));
        if (mine.length === 0) return undefined;
        let text = readFileSync(args.path, 'utf8');
        for (const e of mine) {
          if (!text.includes(e.from)) throw new Error(`RELIABILITY_SABOTAGE: "${e.from}" is not in ${e.file}`);
          text = text.split(e.from).join(e.to);
        }
        console.log(`      (sabotaged for this run: ${mine.map((e) => e.file).join(', ')})`);
        return { contents: text, loader: 'ts' };
      });
    },
  }];
}

/** A fake Teams, one embedded Cosmos server, and DealDesk processes started on it (as many as asked). */
export class Cluster {
  readonly teams = new FakeTeams({ limits: false, tenantId: TENANT });
  cosmos!: EmbeddedCosmos;
  store!: Store;
  env!: NodeJS.ProcessEnv;
  readonly running: RunningMain[] = [];
  /** Process starts, and how long each took (ms). */
  readonly startTimes: number[] = [];

  /** A loaded process waiting to be started (`keepSpare`): the next `start` uses it. */
  private spare?: Standby;
  private keepingSpare = false;

  constructor(private readonly extraEnv: NodeJS.ProcessEnv = {}) {}

  /**
   * From now on each `start` starts a process that was spawned and loaded beforehand, while the previous one was
   * working, and spawns the next: a restart then costs the start itself, not ~2 s of module loading.
   */
  async keepSpare(): Promise<void> {
    if (process.env.RELIABILITY_TSX === '1') return;
    this.keepingSpare = true;
    this.spare ??= startStandby(this.env, await standbyCommand());
  }

  async open(): Promise<this> {
    await this.teams.start();
    this.cosmos = await startEmbeddedCosmos();
    const database = `reliability-${randomUUID()}`;
    this.store = await openCosmosStore({ client: createCosmosClient({ endpoint: this.cosmos.endpoint, key: this.cosmos.key, embedded: true }), databaseId: database });
    this.env = {
      PORT: '0', PLAYGROUND: 'off', LOG_LEVEL: 'silent',
      COSMOS_ENDPOINT: this.cosmos.endpoint, COSMOS_KEY: this.cosmos.key, COSMOS_EMULATOR: 'on', COSMOS_DATABASE: database,
      ALERT_COALESCE_MS: '0', NOTIFY_POLL_MS: '50', DELIVERY_LEASE_MS: '1000', JOB_LEASE_MS: '1000', SCHEDULER_POLL_MS: '100',
      WEBHOOK_SECRET, ...this.extraEnv,
    };
    await mainCommand();
    return this;
  }

  /** A new DealDesk process on the shared store. */
  async start(): Promise<RunningMain> {
    const started = Date.now();
    const spare = this.spare;
    this.spare = this.keepingSpare ? startStandby(this.env, await standbyCommand()) : undefined;
    const r = spare ? await spare.go(60_000) : await startMain(this.env, 60_000, await mainCommand());
    this.startTimes.push(Date.now() - started);
    this.running.push(r);
    return r;
  }

  /** SIGKILL: no clean-up, no lease handed back. Resolves once the process is gone. */
  async kill(r: RunningMain): Promise<void> {
    await stopWith(r, 'SIGKILL').catch(() => undefined);
    this.running.splice(this.running.indexOf(r), 1);
  }

  async close(): Promise<void> {
    this.keepingSpare = false;
    this.spare?.child.kill('SIGKILL');
    this.spare = undefined;
    for (const r of this.running.splice(0)) await stopWith(r, 'SIGKILL').catch(() => undefined);
    await this.store?.close();
    await this.cosmos?.close();
    await this.teams.stop();
  }

  /** POSTs an activity to a process; the status, or the error (a process killed mid-request never answers). */
  async post(via: RunningMain, activity: unknown, timeoutMs = 30_000): Promise<{ status?: number; body?: any; error?: string }> {
    try {
      const res = await fetch(`${via.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity), signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      return { status: res.status, body: text ? safeJson(text) : undefined };
    } catch (e) {
      return { error: (e as Error).name === 'TimeoutError' ? 'timeout' : 'connection lost' };
    }
  }

  /** Proactive messages (and replies) Teams accepted for one conversation whose JSON mentions all of `needles`. */
  messages(conversationId: string, ...needles: RegExp[]) {
    return this.teams.sent.filter((s) => s.conversationId === conversationId && s.kind !== 'update' && s.body.type === 'message' && needles.every((n) => n.test(JSON.stringify(s.body))));
  }

  /**
   * Waits until nothing is left to do: no deal with an alert or notice waiting or a timer due, no
   * delivery that is not final (leased ones included), and each given job run and not leased.
   */
  async quiet(timeoutMs: number, jobs: Array<{ id: string; runs: number }> = []): Promise<void> {
    const now = () => new Date().toISOString();
    await waitFor('the store to be quiet (every alert, notice, delivery and job done)', async () => {
      if ((await this.store.deals.findWithDueAlerts(FAR_FUTURE, 1)).length) return false;
      if ((await this.store.deals.findWithDueTimers(now(), 1)).length) return false;
      if ((await this.store.deliveries.findClaimable(FAR_FUTURE, 1)).length) return false;
      for (const { id, runs } of jobs) {
        const job = (await this.store.jobs.get(TENANT, id))?.job;
        if (!job || job.runs < runs || job.lease) return false;
      }
      return true;
    }, timeoutMs, 100);
  }
}

/** The fixture users known to DealDesk with a 1:1 chat (as if each had said hello), ids as Teams sends them. */
export async function seedUsers(store: Store, serviceUrl: string): Promise<void> {
  const now = new Date().toISOString();
  for (const [key, user] of Object.entries(USERS)) {
    await store.people.upsert({ tenantId: TENANT, id: user.aadObjectId, name: user.name, updatedAt: now });
    const conversationId = `a:personal-${key}`;
    await store.conversations.save({ tenantId: TENANT, conversationId, conversationType: 'personal', userId: user.aadObjectId, reference: reference(serviceUrl, conversationId, 'personal'), installed: true, updatedAt: now });
  }
}

export const reference = (serviceUrl: string, conversationId: string, conversationType: string) => ({
  channelId: 'msteams',
  serviceUrl,
  bot: { id: '28:dealdesk', name: 'DealDesk' },
  conversation: { id: conversationId, conversationType, tenantId: TENANT },
});

/** Seeded people with their own 1:1 chat, and channels, each a recipient of a deal's alerts. */
/** `deal`: its channels follow it, as its owner did (a follow delivers only while its follower may follow the deal). */
export async function seedRecipients(store: Store, serviceUrl: string, tag: string, members: number, channels: number, deal?: { id: string; owner: { id: string; name: string } }) {
  const now = new Date().toISOString();
  const people: Array<{ id: string; name: string; conversationId: string }> = [];
  const channelIds: string[] = [];
  for (let i = 0; i < members; i++) {
    const person = { id: `member-${tag}-${i}`, name: `Member ${tag} ${i}` };
    const conversationId = `a:member-${tag}-${i}`;
    await store.people.upsert({ tenantId: TENANT, ...person, updatedAt: now });
    await store.conversations.save({ tenantId: TENANT, conversationId, conversationType: 'personal', userId: person.id, reference: reference(serviceUrl, conversationId, 'personal'), installed: true, updatedAt: now });
    people.push({ ...person, conversationId });
  }
  for (let i = 0; i < channels; i++) {
    const conversationId = `19:channel-${tag}-${i}@thread.tacv2`;
    await store.conversations.save({ tenantId: TENANT, conversationId, conversationType: 'channel', reference: reference(serviceUrl, conversationId, 'channel'), installed: true, updatedAt: now });
    if (deal) await store.follows.follow({ tenantId: TENANT, conversationId, target: { kind: 'deal', dealId: deal.id }, createdAt: now, followedBy: deal.owner });
    channelIds.push(conversationId);
  }
  return { people, channelIds };
}


export { prng, sleep, waitFor };

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
