import { recordSendBudget } from '../metrics/metrics';
import type { Clock } from '../ports/clock.port';
import { ConcurrentUpdateError } from '../ports/deal-repository.port';
import type { Logger } from '../ports/logger.port';
import type { BudgetMember, SendBudgetRepository } from '../ports/send-budget-repository.port';
import { left, owns, renewed, sharers } from './send-budget';
import { startLoop } from './wake-loop';

/** What the delivery worker asks before it claims or sends: is this conversation mine, and how many share the tenant. */
export interface SendBudget {
  /** The worker found due work in the tenant: join its budget (in the background) and keep the membership renewed. */
  want(tenantId: string): void;
  /** Whether this instance may send to the recipient (`kind|key`) now. */
  owns(tenantId: string, recipient: string, nowMs: number): boolean;
  /** Into how many shares the tenant's limits are cut (this instance sends at most max / sharers per window). */
  sharers(tenantId: string, nowMs: number): number;
  /** Leaves every tenant's budget (after the last send): the others take its conversations and share over. */
  stop(): Promise<void>;
}

/** A process alone on its store (in-memory stores): every conversation, the whole budget. */
export const WHOLE_BUDGET: SendBudget = { want: () => undefined, owns: () => true, sharers: () => 1, stop: async () => undefined };

export interface SharedBudgetDeps {
  repository: SendBudgetRepository;
  instanceId: string;
  /** DealDesk's clock: the send times the worker asks about (`owns`, `sharers`) are on it. */
  clock: Clock;
  /**
   * The leases' clock (default: `clock`). DealDesk passes wall time, as the layout migration's leases use: instances
   * compare each other's leases, so they need a clock they share, and DealDesk's own may be a manual one that a test or
   * `POST /_dev/clock` moves by hours, which made this instance's own lease look lapsed and held its sends back for a
   * lease. A send time asked about is moved onto this clock by the two clocks' difference, so a time ahead stays ahead.
   */
  leaseClock?: Clock;
  logger: Logger;
  /** SEND_BUDGET_LEASE_MS: a membership lapses this long after its last renewal; renewed every third of it. */
  leaseMs: number;
  /** Sends per second the tenant allows the app (TEAMS_APP_RPS): for the log line and the metric. */
  tenantRps: number;
  /** A tenant's membership or share changed (e.g. joined): look for work now. */
  onChange?: () => void;
  /**
   * A tenant with no due work seen for this long is left (default 40 leases: 10 min). Staying longer keeps a tenant's
   * instances counted between fan-outs, so the next one does not wait for newcomers; leaving bounds the renewals of
   * an instance that served many tenants once.
   */
  idleMs?: number;
  /** How often memberships are renewed, in real time (default leaseMs / 3; tests on a manual clock renew faster). */
  renewEveryMs?: number;
}

interface Tenant {
  members: BudgetMember[];
  wantedAt: number;
  /** The last state logged: sharers, and whether this instance was sending. */
  logged?: string;
  failing: boolean;
}

/**
 * One send budget per tenant shared by every instance (send-budget.ts has the rules): a document in `settings` that each
 * instance sending in the tenant renews every leaseMs / 3 with a point read and a conditional write. Nothing is
 * written per send. When the store cannot be reached the instance keeps its last share while its membership still
 * counts for the others, then sends nothing in that tenant (the others take its conversations over) until renewed.
 */
export function startSharedBudget(deps: SharedBudgetDeps): SendBudget {
  const { repository, instanceId: me, clock, logger, leaseMs, tenantRps } = deps;
  const idleMs = deps.idleMs ?? 40 * leaseMs;
  const tenants = new Map<string, Tenant>();
  const leaseClock = deps.leaseClock ?? clock;
  const now = () => leaseClock.now().getTime();
  /** A time on DealDesk's clock, on the leases' clock. */
  const onLeaseClock = (nowMs: number) => (leaseClock === clock ? nowMs : nowMs + (now() - clock.now().getTime()));

  /** Logs (once per change) how many share the tenant's budget and this instance's part; wakes the sender. */
  function report(tenantId: string, tenant: Tenant): void {
    const at = now();
    const n = sharers(tenant.members, at);
    const mine = tenant.members.find((m) => m.instanceId === me);
    const sending = !!mine && Date.parse(mine.until) > at && Date.parse(mine.activeFrom) <= at;
    const share = sending ? Math.max(1, Math.floor(tenantRps / n)) : 0;
    const state = `${n}|${sending}`;
    if (state === tenant.logged) return;
    tenant.logged = state;
    recordSendBudget(n, share);
    const waiting = mine && !sending && Date.parse(mine.until) > at ? { activeFrom: mine.activeFrom } : {};
    logger.info({ tenantId, instances: n, sharePerSecond: share, ...waiting }, `send budget: ${n} instance${n === 1 ? '' : 's'} share the tenant's ${tenantRps}/s; this one sends at most ${share}/s`);
    deps.onChange?.();
  }

  /** A point read and a conditional write; another instance's write in between: read again (a few times). */
  async function write(tenantId: string, change: (members: BudgetMember[], at: number) => BudgetMember[]): Promise<BudgetMember[] | undefined> {
    for (let tries = 0; tries < 5; tries++) {
      const stored = await repository.get(tenantId);
      try {
        return (await repository.save(tenantId, change(stored?.members ?? [], now()), stored?.etag)).members;
      } catch (err) {
        if (!(err instanceof ConcurrentUpdateError)) throw err;
      }
    }
    return undefined;
  }

  async function renew(tenantId: string, tenant: Tenant): Promise<void> {
    try {
      const members = await write(tenantId, (members, at) => renewed(members, me, at, leaseMs));
      if (members) {
        tenant.members = members;
        if (tenant.failing) logger.info({ tenantId }, 'send budget: membership renewed again');
        tenant.failing = false;
      }
    } catch (err) {
      if (!tenant.failing) {
        const until = tenant.members.find((m) => m.instanceId === me)?.until;
        logger.warn({ err, tenantId, until }, "send budget: could not renew this instance's membership; it keeps its last share until then, and sends nothing in the tenant after that until it is renewed");
      }
      tenant.failing = true;
    }
    report(tenantId, tenant);
  }

  const loop = startLoop(async () => {
    for (const [tenantId, tenant] of [...tenants]) {
      if (now() - tenant.wantedAt > idleMs) {
        tenants.delete(tenantId);
        await write(tenantId, (members, at) => left(members, me, at)).catch((err: unknown) => logger.warn({ err, tenantId }, 'send budget: could not leave an idle tenant; its membership lapses by itself'));
        continue;
      }
      await renew(tenantId, tenant);
    }
  }, { intervalMs: deps.renewEveryMs ?? Math.max(100, Math.floor(leaseMs / 3)), logger, name: 'send budget' });

  return {
    want(tenantId) {
      const tenant = tenants.get(tenantId);
      if (tenant) {
        tenant.wantedAt = now();
        return;
      }
      tenants.set(tenantId, { members: [], wantedAt: now(), failing: false });
      loop.wake();
    },
    owns(tenantId, recipient, nowMs) {
      const tenant = tenants.get(tenantId);
      return !!tenant && owns(tenant.members, me, recipient, onLeaseClock(nowMs));
    },
    sharers(tenantId, nowMs) {
      const tenant = tenants.get(tenantId);
      return tenant ? sharers(tenant.members, onLeaseClock(nowMs)) : 1;
    },
    async stop() {
      await loop.stop();
      for (const [tenantId] of [...tenants]) {
        tenants.delete(tenantId);
        await write(tenantId, (members, at) => left(members, me, at)).catch((err: unknown) => logger.warn({ err, tenantId }, 'send budget: could not leave on shutdown; the membership lapses by itself'));
      }
    },
  };
}
