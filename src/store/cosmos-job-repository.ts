import type { Container, SqlParameter } from '@azure/cosmos';
import type { Job } from '../domain/job';
import { ConcurrentUpdateError } from '../ports/deal-repository.port';
import type { JobRepository, StoredJob } from '../ports/job-repository.port';
import { statusOf, succeededUnless } from './cosmos-errors';
import { type CosmosSystemFields, withoutSystemFields } from './deal-document';
import { documentIdOf, keyOfDocumentId } from './document-id';
import { partitionKeyOf } from './partition-keys';

/** A job's full partition key: its tenant and its own document id (containers.ts): each job is a logical partition of its own. */
const keyOf = (tenantId: string, jobId: string) => partitionKeyOf('jobs-v2', { tenantId, id: documentIdOf(jobId) });

type JobDocument = Job & { type: 'job' };
type StoredDocument = JobDocument & CosmosSystemFields;

const toDocument = (job: Job): JobDocument => ({ ...job, id: documentIdOf(job.id), type: 'job' });

const stored = (doc: StoredDocument): StoredJob => {
  if (!doc._etag) throw new Error(`Cosmos returned job ${doc.id} without an etag`);
  const { type: _type, ...job } = withoutSystemFields(doc);
  return { job: { ...job, id: keyOfDocumentId(doc.id) }, etag: doc._etag };
};

/**
 * Jobs in the `jobs-v2` container, partitioned by /tenantId then /id: a job is only ever read by its id (`<kind>|<person>`)
 * or swept, so each is a logical partition of its own. findClaimable and listLeasedBy are the
 * deliberate cross-partition queries (the scheduler's sweep and its shutdown). A job done for good has
 * no dueAt, so the sweep's `IS_DEFINED(c.dueAt)` leaves it out.
 */
export class CosmosJobRepository implements JobRepository {
  constructor(private readonly container: Container) {}

  async createIfAbsent(job: Job): Promise<boolean> {
    return succeededUnless(409, () => this.container.items.create(toDocument(job)));
  }

  async get(tenantId: string, id: string): Promise<StoredJob | undefined> {
    const { resource } = await this.container.item(documentIdOf(id), keyOf(tenantId, id)).read<StoredDocument>();
    if (!resource || resource.type !== 'job') return undefined;
    return stored(resource);
  }

  async replace(job: Job, etag: string): Promise<StoredJob> {
    try {
      const { resource } = await this.container
        .item(documentIdOf(job.id), keyOf(job.tenantId, job.id))
        .replace<JobDocument>(toDocument(job), { accessCondition: { type: 'IfMatch', condition: etag } });
      return stored(resource as StoredDocument);
    } catch (err) {
      if (statusOf(err) === 412 || statusOf(err) === 404) throw new ConcurrentUpdateError();
      throw err;
    }
  }

  async findClaimable(now: string, limit: number): Promise<StoredJob[]> {
    const top = Math.floor(limit);
    if (!(top > 0)) return [];
    return this.query(
      "SELECT TOP @limit * FROM c WHERE c.type = 'job' AND IS_DEFINED(c.dueAt) AND c.dueAt <= @now AND (NOT IS_DEFINED(c.lease) OR c.lease.until <= @now) ORDER BY c.dueAt",
      [
        { name: '@limit', value: top },
        { name: '@now', value: now },
      ],
    );
  }

  async listLeasedBy(owner: string): Promise<StoredJob[]> {
    return this.query("SELECT * FROM c WHERE c.type = 'job' AND c.lease.owner = @owner", [{ name: '@owner', value: owner }]);
  }

  private async query(query: string, parameters: SqlParameter[]): Promise<StoredJob[]> {
    const { resources } = await this.container.items.query<StoredDocument>({ query, parameters }).fetchAll();
    return resources.map(stored);
  }
}
