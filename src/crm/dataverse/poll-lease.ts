import { ConcurrentUpdateError } from '../../ports/deal-repository.port';
import type { CrmPollRepository, CrmPollState, StoredCrmPoll } from '../../ports/crm-poll-repository.port';

/** Another instance wrote the poll state since this one did: its lease ran out and was taken over. Stop at once. */
export class PollLeaseLost extends Error {
  constructor() {
    super('another instance took over the Dataverse poll');
    this.name = 'PollLeaseLost';
  }
}

/**
 * The Dataverse poll's lease in the tenant's poll state: one instance of many polls (or imports) at a time. Leases
 * run on wall time, as the layout migration's and the send budget's do (DealDesk's own clock may be a manual one).
 * Every write of the state is conditional on the ETag of this holder's last write, so a holder whose lease lapsed and
 * was taken over fails its next write (PollLeaseLost) instead of overwriting the new holder's links.
 */
export class PollLease {
  private stored: StoredCrmPoll = { state: {} };
  /** Wall time until which the lease is ours for sure: the `until` of our last write, computed before it was sent. */
  private heldUntil = 0;

  constructor(
    private readonly repository: CrmPollRepository,
    private readonly tenantId: string,
    readonly holder: string,
    private readonly leaseMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CrmPollState {
    return this.stored.state;
  }

  /** Takes the lease unless another instance holds it; false when it does (or takes it at the same moment). */
  async take(): Promise<boolean> {
    const read = await this.repository.get(this.tenantId);
    const lease = read.state.lease;
    if (lease && lease.holder !== this.holder && Date.parse(lease.until) > this.now()) return false;
    this.stored = read;
    try {
      await this.save({});
      return true;
    } catch (e) {
      if (e instanceof PollLeaseLost) return false;
      throw e;
    }
  }

  /** Writes the state (with the lease renewed for `holdMs`), conditional on our last write. */
  async save(patch: Partial<CrmPollState>, holdMs = this.leaseMs): Promise<void> {
    const until = this.now() + holdMs;
    const next: CrmPollState = { ...this.stored.state, ...patch, lease: { holder: this.holder, until: new Date(until).toISOString() } };
    try {
      this.stored = await this.repository.save(this.tenantId, next, this.stored.etag);
      this.heldUntil = until;
    } catch (e) {
      if (e instanceof ConcurrentUpdateError) throw new PollLeaseLost();
      throw e;
    }
  }

  /** The fence before a write to deals: renews the lease when less than a third of it is left. */
  async keep(): Promise<void> {
    if (this.now() < this.heldUntil - this.leaseMs / 3) return;
    await this.save({});
  }

  /** Gives the lease up (DealDesk stops), so another instance polls without waiting for it to lapse. */
  async release(patch: Partial<CrmPollState> = {}): Promise<void> {
    const { lease: _ours, ...rest } = { ...this.stored.state, ...patch };
    try {
      this.stored = await this.repository.save(this.tenantId, rest, this.stored.etag);
    } catch (e) {
      if (!(e instanceof ConcurrentUpdateError)) throw e;
    }
    this.heldUntil = 0;
  }
}
