import { createDeal as createDealFor } from '../../app/create-deal';
import type { AppDeps } from '../../app/context';
import { CrmSendError } from '../../ports/crm-target.port';
import type { CrmPollOutcome, CrmPollRepository } from '../../ports/crm-poll-repository.port';
import { recordPollRound } from '../../metrics/crm-poll-metrics';
import type { FieldOwnership } from '../field-ownership';
import { type BringInContext, bringInOpportunity, type BroughtIn } from './bring-in-opportunity';
import { type DataverseReader, RecordLookups } from './record-lookups';
import { readPage, TRACKING_START } from './opportunity-pages';
import { PollLease, PollLeaseLost } from './poll-lease';

export interface ChangePollerOptions {
  client: DataverseReader;
  deps: AppDeps;
  polls: CrmPollRepository;
  /** DATAVERSE_TENANT_ID: the Teams tenant the environment's deals belong to. */
  tenantId: string;
  instanceId: string;
  ownership: FieldOwnership;
  /** DATAVERSE_POLL_MS: between rounds. The holder keeps the lease over it, so the next round is its own again. */
  pollMs: number;
  /** How long the lease holds unless renewed (renewed per page, and before writes once a third is left). Default 30 s. */
  leaseMs?: number;
  /** `Prefer: odata.maxpagesize` (default 100). */
  pageSize?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called after each page's links are saved (tests stop a round there, as a crash would). */
  afterPage?: (page: number) => Promise<void> | void;
}

/** What one round did; `polled: false` when another instance holds the lease. */
export type PollRound = { polled: false } | ({ polled: true } & CrmPollOutcome);

/** How many refusals the poll state remembers (newest last). */
const REFUSALS_KEPT = 10;

/**
 * The Dataverse change poll (issue 19 §2): one round takes the tenant's poll lease (one instance of many polls),
 * resumes the round a crash stopped (its stored next link) or asks for the changes since the stored delta link (or
 * starts change tracking), and brings each changed opportunity in (bring-in-opportunity.ts). After each page the
 * next link, and after the last the new delta link, is saved conditionally on the lease: a crash resumes from the
 * last page saved, and what it replays is recognised by each deal (the change's event id), so nothing is lost or
 * applied twice. A refusal is counted and remembered and the round goes on; a 429 waits its Retry-After with the
 * lease kept; 401/403 (or any other failure of the CRM) end the round and are recorded in the poll state.
 */
export function changePoller(options: ChangePollerOptions) {
  const { deps, tenantId, pollMs } = options;
  const leaseMs = options.leaseMs ?? 30_000;
  const lookups = new RecordLookups(options.client);
  const createDeal: BringInContext['createDeal'] = (actor, draft, from) => createDealFor(deps, actor, { draft, ...from });
  let lease: PollLease | undefined;

  async function pollOnce(signal?: AbortSignal): Promise<PollRound> {
    lease = new PollLease(options.polls, tenantId, options.instanceId, leaseMs);
    const held = lease;
    if (!(await held.take())) return { polled: false };
    const ctx: BringInContext = { deps, tenantId, ownership: options.ownership, lookups, createDeal, newDealsFor: 'known people', signal };
    const outcome: CrmPollOutcome = { at: '', applied: 0, skipped: 0, refused: 0, refusals: [...(held.state.lastPoll?.refusals ?? [])] };
    const count = (result: BroughtIn) => {
      if (result.outcome === 'created' || result.outcome === 'applied') outcome.applied++;
      else if (result.outcome === 'skipped') outcome.skipped++;
      else {
        outcome.refused++;
        outcome.refusals = [...outcome.refusals!, { recordId: result.recordId, ...(result.dealId ? { dealId: result.dealId } : {}), code: result.code }].slice(-REFUSALS_KEPT);
        deps.logger.warn({ tenantId, recordId: result.recordId, dealId: result.dealId, code: result.code }, 'dataverse poll: a change from the CRM was refused');
      }
    };
    let link = held.state.nextLink ?? held.state.deltaLink ?? TRACKING_START;
    const reading = { client: options.client, pageSize: options.pageSize ?? 100, trackChanges: true, signal, sleep: options.sleep, beforeWait: (ms: number) => held.save({}, ms + leaseMs) };
    try {
      for (let page = 1; ; page++) {
        const read = await readPage(reading, link);
        for (const record of read.records) {
          await held.keep();
          count(await bringInOpportunity(ctx, record));
        }
        if (read.nextLink) {
          await held.save({ nextLink: read.nextLink });
          link = read.nextLink;
        } else {
          // No delta link (change tracking not honoured): the next round starts tracking afresh.
          await held.save({ nextLink: undefined, deltaLink: read.deltaLink });
        }
        await options.afterPage?.(page);
        if (!read.nextLink) break;
      }
    } catch (e) {
      if (e instanceof PollLeaseLost) {
        deps.logger.warn({ tenantId }, 'dataverse poll: another instance took the poll over; this round stops');
        return { polled: true, ...outcome, at: deps.clock.now().toISOString(), error: { message: e.message } };
      }
      if (signal?.aborted) throw e;
      outcome.error = errorOf(e);
      deps.logger.warn({ tenantId, status: outcome.error.status, code: outcome.error.code, err: outcome.error.message }, 'dataverse poll: the round stopped; the next one resumes from its last page');
    }
    outcome.at = deps.clock.now().toISOString();
    if (outcome.refusals!.length === 0) delete outcome.refusals;
    // The holder keeps its turn until its next round (and a lease beyond it): the others find the lease held.
    await held.save({ lastPoll: outcome }, pollMs + leaseMs);
    recordPollRound(outcome);
    deps.logger.info({ tenantId, applied: outcome.applied, skipped: outcome.skipped, refused: outcome.refused }, 'dataverse poll: round done');
    return { polled: true, ...outcome };
  }

  /** Gives the lease up when DealDesk stops, so another instance polls next without waiting for it to lapse. */
  async function release(): Promise<void> {
    await lease?.release().catch(() => undefined);
  }

  return { pollOnce, release };
}

export type ChangePoller = ReturnType<typeof changePoller>;

function errorOf(e: unknown): NonNullable<CrmPollOutcome['error']> {
  if (e instanceof CrmSendError) return { ...(e.status ? { status: e.status } : {}), ...(e.code ? { code: e.code } : {}), message: e.message.slice(0, 300) };
  return { message: (e instanceof Error ? e.message : String(e)).slice(0, 300) };
}
