import { type CrmOutcome, dueCrmEvents, type PendingCrmEvent, recordConflicts, recordCrmOutcomes } from '../domain/crm-outbox';
import type { Deal } from '../domain/deal';
import type { Person } from '../domain/person';
import { recordCrmSend } from '../metrics/metrics';
import type { RetryConfig } from '../notify/retry-policy';
import type { Clock } from '../ports/clock.port';
import type { CrmLink, CrmTarget, FieldConflict, OutboundEvent } from '../ports/crm-target.port';
import { ConcurrentUpdateError, type StoredDeal } from '../ports/deal-repository.port';
import type { Logger } from '../ports/logger.port';
import type { Store } from '../ports/store.port';
import { crmAttemptOutcome } from './crm-attempt-outcome';

const WRITE_ATTEMPTS = 4;
const DEALS_PER_ROUND = 50;

export interface CrmDispatchConfig extends RetryConfig {
  /** How long a claim on a deal's events lasts: one instance sends them meanwhile. */
  leaseMs: number;
  /** The longest one send may take (the target's own timeout is at most this); no send starts that could outlast the lease. */
  sendTimeoutMs: number;
}

export interface CrmDispatcherDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  target: CrmTarget;
  instanceId: string;
  config: CrmDispatchConfig;
  random?: () => number;
  /** A final failure queued the owner's message (a notice): delivery need not wait for its poll. */
  onNotices?: () => void;
}

/** Who the history names for conflicts a send resolved. */
const crmActor = (target: CrmTarget): Person => ({ id: `crm:${target.name}`, name: target.name === 'dataverse' ? 'Dynamics 365 (CRM)' : 'CRM' });

const outbound = (deal: Deal, e: PendingCrmEvent): OutboundEvent => ({ eventId: e.eventId, tenantId: deal.tenantId, deal: e.deal, sequence: e.sequence, changes: e.changes, actor: e.actor, at: e.at });

/**
 * Sends deals' CRM events through the configured target. Per deal: one conditional write claims it (`crmLease`, so
 * one instance sends a deal's events), the due events go out in sequence order, stopping at the first that must be
 * retried (a system of record must see them in order; a final failure is logged, its owner told, and the next goes
 * on), then one conditional write records every outcome (re-read and re-applied on a 412). A crash in between sends
 * again what was sent: at-least-once, the receivers de-duplicate on the event id.
 */
export function createCrmDispatcher(deps: CrmDispatcherDeps) {
  const { store, clock, logger, target, instanceId, config } = deps;
  const random = deps.random ?? Math.random;

  /** Claims the deal for this instance when it has events due and no other instance holds it; undefined otherwise. */
  async function claim(tenantId: string, dealId: string): Promise<StoredDeal | undefined> {
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      const stored = await store.deals.get(tenantId, dealId);
      const now = clock.now();
      if (!stored || dueCrmEvents(stored.deal, now.toISOString()).length === 0) return undefined;
      const lease = stored.deal.crmLease;
      if (lease && lease.holder !== instanceId && lease.until > now.toISOString()) return undefined;
      const until = new Date(now.getTime() + config.leaseMs).toISOString();
      try {
        return await store.deals.replace({ ...stored.deal, crmLease: { holder: instanceId, until } }, stored.etag);
      } catch (e) {
        if (!(e instanceof ConcurrentUpdateError)) throw e;
      }
    }
    return undefined;
  }

  async function send(claimed: StoredDeal): Promise<{ outcomes: CrmOutcome[]; conflicts: FieldConflict[] }> {
    const { deal } = claimed;
    const leaseEnds = Date.parse(deal.crmLease!.until);
    const outcomes: CrmOutcome[] = [];
    const conflicts: FieldConflict[] = [];
    let link: CrmLink | undefined = deal.crmLink;
    for (const event of dueCrmEvents(deal, clock.now().toISOString())) {
      if (clock.now().getTime() + config.sendTimeoutMs > leaseEnds) break; // the rest go in the next round
      const attempts = event.attempts + 1;
      try {
        const result = await target.send(outbound(deal, event), link, AbortSignal.timeout(config.sendTimeoutMs));
        link = result.link ?? link;
        conflicts.push(...(result.conflicts ?? []));
        outcomes.push({ eventId: event.eventId, state: 'sent', attempts, at: clock.now().toISOString(), ...(result.link ? { link: result.link } : {}) });
        recordCrmSend(target.name, 'sent');
      } catch (e) {
        const now = clock.now();
        const outcome = crmAttemptOutcome(e, attempts, config, now.getTime(), random);
        recordCrmSend(target.name, outcome.state, outcome.status);
        logger.warn({ dealId: deal.id, eventId: event.eventId, attempts, status: outcome.status, state: outcome.state }, 'a CRM event was not accepted');
        if (outcome.state === 'failed') {
          outcomes.push({ eventId: event.eventId, state: 'failed', attempts, at: now.toISOString(), reason: outcome.reason });
          continue; // final: the owner is told, and the deal's later events go on
        }
        outcomes.push({ eventId: event.eventId, state: 'retrying', attempts, at: now.toISOString(), nextAttemptAt: outcome.nextAttemptAt, lastError: outcome.reason });
        break; // later events wait behind it: order matters to a system of record
      }
    }
    return { outcomes, conflicts };
  }

  /** Records the outcomes in the deal as it is now, and lets go of it; re-read and re-applied on a 412. */
  async function finish(claimed: StoredDeal, outcomes: CrmOutcome[], conflicts: FieldConflict[]): Promise<void> {
    let stored: StoredDeal | undefined = claimed;
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS && stored; attempt++) {
      const at = clock.now().toISOString();
      const ours = stored.deal.crmLease?.holder === instanceId;
      let next = recordConflicts(recordCrmOutcomes(stored.deal, outcomes), conflicts, crmActor(target), at);
      if (ours) next = { ...next, crmLease: undefined };
      try {
        await store.deals.replace(next, stored.etag);
        if (next.notices.length > stored.deal.notices.length) deps.onNotices?.();
        return;
      } catch (e) {
        if (!(e instanceof ConcurrentUpdateError)) throw e;
        stored = await store.deals.get(claimed.deal.tenantId, claimed.deal.id);
      }
    }
    logger.warn({ dealId: claimed.deal.id }, 'the deal kept changing while its CRM outcomes were recorded; its events go again after the lease');
  }

  /** Sends a deal's due events; returns how many finished (sent, or failed for good). */
  async function dispatchDeal(tenantId: string, dealId: string): Promise<number> {
    const claimed = await claim(tenantId, dealId);
    if (!claimed) return 0;
    const { outcomes, conflicts } = await send(claimed);
    await finish(claimed, outcomes, conflicts);
    return outcomes.filter((o) => o.state !== 'retrying').length;
  }

  /** One round: every deal with a CRM event due, at most 50. Returns the number of events finished. */
  async function runOnce(): Promise<number> {
    const due = await store.deals.findWithDueCrmEvents(clock.now().toISOString(), DEALS_PER_ROUND);
    let finished = 0;
    for (const { tenantId, id } of due) {
      try {
        finished += await dispatchDeal(tenantId, id);
      } catch (e) {
        logger.error({ err: e, dealId: id }, 'could not send the CRM events of a deal');
      }
    }
    return finished;
  }

  return { runOnce, dispatchDeal };
}
