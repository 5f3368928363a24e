import { createDeal } from '../../app/create-deal';
import type { CrmImportProgress } from '../../ports/crm-poll-repository.port';
import { type BringInContext, bringInOpportunity } from './bring-in-opportunity';
import { IMPORT_START, readPage, sleep } from './opportunity-pages';
import type { ChangePollerOptions } from './change-poller';
import { PollLease } from './poll-lease';
import { RecordLookups } from './record-lookups';

/** What the import shares with the change poll: the environment, the store, the tenant, the field rules, the lease. */
export interface ImportOptions extends Pick<ChangePollerOptions, 'client' | 'deps' | 'polls' | 'tenantId' | 'instanceId' | 'ownership' | 'pageSize' | 'leaseMs' | 'sleep'> {
  /** How long to wait for the poll lease while another instance polls (default 3 minutes). */
  waitMs?: number;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Told after each page is saved: the progress so far. */
  onPage?: (progress: CrmImportProgress) => Promise<void> | void;
}

/** Another instance held the poll lease for longer than the import waits. */
export class ImportWaited extends Error {
  constructor(holder: string) {
    super(`another instance (${holder}) has been polling Dataverse for longer than the import waits; try again in a minute`);
    this.name = 'ImportWaited';
  }
}

/**
 * `npm run crm:import`: brings the environment's open opportunities in, page by page (`@odata.nextLink`, `Prefer:
 * odata.maxpagesize`), each as the poll brings a change in (bring-in-opportunity.ts) but giving a deal to any owner
 * with an Entra id: an opportunity already linked to a deal updates it (by the field rules), never a second deal.
 * It holds the poll lease while it runs (the change poll waits), and stores its next link and counts after each page
 * in the poll state, so a run that stopped (killed, a 401) resumes where it stopped; a finished one starts over.
 */
export async function importOpportunities(options: ImportOptions): Promise<CrmImportProgress> {
  const { deps, tenantId } = options;
  const leaseMs = options.leaseMs ?? 30_000;
  const lease = new PollLease(options.polls, tenantId, options.instanceId, leaseMs);
  const waitUntil = Date.now() + (options.waitMs ?? 180_000);
  while (!(await lease.take())) {
    const holder = (await options.polls.get(tenantId)).state.lease?.holder ?? 'unknown';
    if (Date.now() > waitUntil) throw new ImportWaited(holder);
    await (options.sleep ?? sleep)(2_000, options.signal);
  }
  const before = lease.state.import;
  let progress: CrmImportProgress =
    before?.state === 'importing' ? { ...before } : { state: 'importing', pages: 0, created: 0, updated: 0, unchanged: 0, refused: 0, startedAt: deps.clock.now().toISOString() };
  const ctx = { deps, tenantId, ownership: options.ownership, lookups: new RecordLookups(options.client), createDeal: ((actor, draft, from) => createDeal(deps, actor, { draft, ...from })) satisfies BringInContext['createDeal'], newDealsFor: 'any person' as const, signal: options.signal };
  const reading = { client: options.client, pageSize: options.pageSize ?? 100, trackChanges: false, signal: options.signal, sleep: options.sleep, beforeWait: (ms: number) => lease.save({}, ms + leaseMs) };
  try {
    let link = progress.nextLink ?? IMPORT_START;
    for (;;) {
      const page = await readPage(reading, link);
      for (const record of page.records) {
        await lease.keep();
        const result = await bringInOpportunity(ctx, record);
        if (result.outcome === 'created') progress.created++;
        else if (result.outcome === 'applied') progress.updated++;
        else if (result.outcome === 'skipped') progress.unchanged++;
        else {
          progress.refused++;
          deps.logger.warn({ tenantId, recordId: result.recordId, dealId: result.dealId, code: result.code }, 'crm import: an opportunity was refused');
        }
      }
      progress = { ...progress, pages: progress.pages + 1, nextLink: page.nextLink };
      if (!page.nextLink) progress = { ...progress, state: 'done', doneAt: deps.clock.now().toISOString() };
      await lease.save({ import: progress });
      await options.onPage?.(progress);
      if (!page.nextLink) return progress;
      link = page.nextLink;
    }
  } finally {
    // The change poll takes over at once; a run that failed keeps its next link in the state and resumes from it.
    await lease.release().catch(() => undefined);
  }
}
