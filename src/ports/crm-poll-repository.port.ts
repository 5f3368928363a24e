/**
 * The Dataverse change poll's state, one per tenant (the tenant the environment's deals belong to): who polls now
 * (the lease), where the next poll starts (the delta link), how far the import got, and what the last poll did.
 */
export interface CrmPollState {
  /** The instance that polls (or imports) now, and until when (ISO, wall time) unless it renews. */
  lease?: { holder: string; until: string };
  /** Change tracking's `@odata.deltaLink` of the last finished round: the next round asks for changes since. */
  deltaLink?: string;
  /** A round that stopped part way (a crash, a 401): its next page (`@odata.nextLink`); resumed before anything else. */
  nextLink?: string;
  /** `npm run crm:import`: the next page of open opportunities, and what the import did so far. */
  import?: CrmImportProgress;
  /** What the last round did (`sync`, metrics). */
  lastPoll?: CrmPollOutcome;
}

export interface CrmImportProgress {
  state: 'importing' | 'done';
  nextLink?: string;
  pages: number;
  created: number;
  updated: number;
  unchanged: number;
  refused: number;
  startedAt: string;
  doneAt?: string;
}

export interface CrmPollOutcome {
  /** When the round ended (ISO, DealDesk's clock). */
  at: string;
  /** Records turned into deal changes (or new deals), recognised as already applied, refused by a gate or the policy. */
  applied: number;
  skipped: number;
  refused: number;
  /** The latest refusals (newest last, a few): the opportunity and why. */
  refusals?: Array<{ recordId: string; dealId?: string; code: string }>;
  /** Why the round stopped early (401/403, the store), absent when it finished. */
  error?: { status?: number; code?: string; message: string };
}

/** The state as read, with the version token a conditional save needs (absent: none stored yet). */
export interface StoredCrmPoll {
  state: CrmPollState;
  etag?: string;
}

/**
 * The poll state document. Point read and one conditional write; ConcurrentUpdateError (deal-repository.port) when
 * another instance saved in between.
 */
export interface CrmPollRepository {
  get(tenantId: string): Promise<StoredCrmPoll>;
  /** With `etag`: only if the document still has it. Without: only if there is none yet. Resolves with the new etag. */
  save(tenantId: string, state: CrmPollState, etag?: string): Promise<StoredCrmPoll>;
}
