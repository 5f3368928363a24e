import type { Job } from '../domain/job';

export interface StoredJob {
  job: Job;
  etag: string;
}

/**
 * Scheduled jobs (digests, nudges). Creating one is idempotent by id; claiming and completing a run are
 * conditional writes on its etag (ConcurrentUpdateError from deal-repository.port when another instance
 * got there first).
 */
export interface JobRepository {
  /** Creates the job unless one with its id exists; true when this call created it. */
  createIfAbsent(job: Job): Promise<boolean>;
  get(tenantId: string, id: string): Promise<StoredJob | undefined>;
  replace(job: Job, etag: string): Promise<StoredJob>;
  /** Jobs of every tenant due at `now` and not held by a live lease, earliest first. Background sweep. */
  findClaimable(now: string, limit: number): Promise<StoredJob[]>;
  /** Jobs whose run an instance holds (to give them back on shutdown). */
  listLeasedBy(owner: string): Promise<StoredJob[]>;
}
