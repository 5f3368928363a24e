import type { Container, SqlParameter } from '@azure/cosmos';
import type { AuditEntry } from '../domain/approval';
import type { Deal, HistoryEntry } from '../domain/deal';
import { archiveOldest, type ArchivedList } from '../domain/deal-archive';
import { PIPELINE_FIELDS, type PipelineDeal } from '../domain/pipeline';
import { queryKeys } from '../domain/search-keys';
import {
  ConcurrentUpdateError,
  type DealAudience,
  type DealRepository,
  type DealSummary,
  DuplicateIdError,
  type StoredDeal,
} from '../ports/deal-repository.port';
import { statusOf } from './cosmos-errors';
import { CosmosDealArchive, refusedAsTooLarge } from './cosmos-deal-archive';
import { type CosmosSystemFields, type DealDocument, fromDealDocument, toDealDocument } from './deal-document';
import { partitionKeyOf } from './partition-keys';

/** A deal's full partition key: its tenant and its own id (containers.ts). */
const keyOf = (tenantId: string, dealId: string) => partitionKeyOf('deals-v2', { tenantId, dealId });

type StoredDocument = DealDocument & CosmosSystemFields;

/**
 * An audience (DEAL_VISIBILITY=team) as a filter: the deals naming the person (the derived `peopleIds`; the
 * owner and team tests also match documents written before `peopleIds` existed) or owned by someone they manage.
 */
const AUDIENCE_FILTER =
  ' AND (ARRAY_CONTAINS(c.peopleIds, @personId) OR c.owner.id = @personId OR ARRAY_CONTAINS(c.team, { "person": { "id": @personId } }, true) OR ARRAY_CONTAINS(@ownerIds, c.owner.id))';
const audienceOf = (audience?: DealAudience): { where: string; parameters: SqlParameter[] } =>
  audience
    ? { where: AUDIENCE_FILTER, parameters: [{ name: '@personId', value: audience.personId }, { name: '@ownerIds', value: audience.ownerIds }] }
    : { where: '', parameters: [] };

/** Fixed SQL text only: every value goes in as a parameter. */
interface QueryParts {
  select: string;
  where?: string;
  orderBy?: string;
}

/** The fields of a DealSummary, bracketed (`value` is a keyword in Cosmos SQL). */
const SUMMARY_FIELDS: ReadonlyArray<keyof DealSummary> = ['id', 'number', 'title', 'account', 'owner', 'team', 'stage', 'outcome', 'value', 'updatedAt'];
const SUMMARY_SELECT = SUMMARY_FIELDS.map((f) => `c["${f}"]`).join(', ');

/**
 * Deals in the `deals-v2` container, partitioned by /tenantId then /dealId: each deal (with its archives) is a
 * logical partition of its own. Point reads and writes name the full key; the chat path's queries (`my deals`,
 * pipeline, search, the highest number) name the tenant prefix `[tenantId]`, which keeps them to the tenant's
 * physical partitions in Azure.
 *
 * Every query repeats `c.tenantId = @tenantId` in its WHERE although it also passes the prefix as `partitionKey`:
 * the embedded server ignores the partitionKey option, and in Azure the option alone keeps the query
 * within the tenant. Checked on the embedded server (@vercel/cosmosdb-server 1.0.1): CONTAINS, LOWER,
 * `TOP @param`, ORDER BY and `SELECT VALUE MAX(...)` all work; CONTAINS' third argument (ignore case)
 * does NOT (400 "requires 2 argument(s)"), hence LOWER(c.title) with an already lower-cased fragment.
 *
 * The container also holds each deal's archive documents (type 'dealArchive', cosmos-deal-archive.ts): every
 * query here filters `c.type = 'deal'`, so none of them ever returns one. Writing a deal first writes the archive
 * chunks its history and audit trail have outgrown (domain/deal-archive.ts), then the deal that counts them.
 */
export class CosmosDealRepository implements DealRepository {
  private readonly archive: CosmosDealArchive;

  constructor(private readonly container: Container) {
    this.archive = new CosmosDealArchive(container);
  }

  async get(tenantId: string, id: string): Promise<StoredDeal | undefined> {
    const { resource } = await this.container.item(id, keyOf(tenantId, id)).read<StoredDocument>();
    // The SDK resolves a 404 with no resource instead of throwing.
    if (!resource || resource.type !== 'deal') return undefined;
    return this.stored(resource);
  }

  async create(deal: Deal): Promise<StoredDeal> {
    const { deal: kept, chunks } = archiveOldest(deal);
    await this.archive.write(chunks);
    try {
      const { resource } = await this.container.items.create<DealDocument>(toDealDocument(kept));
      return this.stored(resource as StoredDocument);
    } catch (err) {
      if (statusOf(err) === 409) throw new DuplicateIdError();
      throw refusedAsTooLarge(err, deal.id);
    }
  }

  /** The chunks first, then the conditional replace: a chunk written before a failed replace is not counted, and is rewritten as it is. */
  async replace(deal: Deal, etag: string): Promise<StoredDeal> {
    const { deal: kept, chunks } = archiveOldest(deal);
    await this.archive.write(chunks);
    try {
      const { resource } = await this.container
        .item(deal.id, keyOf(deal.tenantId, deal.id))
        .replace<DealDocument>(toDealDocument(kept), { accessCondition: { type: 'IfMatch', condition: etag } });
      return this.stored(resource as StoredDocument);
    } catch (err) {
      if (statusOf(err) === 412) throw new ConcurrentUpdateError();
      throw refusedAsTooLarge(err, deal.id);
    }
  }

  async readArchive(tenantId: string, dealId: string, list: ArchivedList, chunk: number): Promise<HistoryEntry[] | AuditEntry[] | undefined> {
    return this.archive.read(tenantId, dealId, list, chunk);
  }

  async highestNumber(tenantId: string): Promise<number | undefined> {
    const [max] = await this.query<number | null>(tenantId, { select: 'SELECT VALUE MAX(c.number) FROM c' });
    // An empty partition yields [] (embedded server and Azure); guard against null too.
    return typeof max === 'number' ? max : undefined;
  }

  async findByCrmRecord(tenantId: string, recordId: string): Promise<StoredDeal | undefined> {
    const [doc] = await this.query<StoredDocument>(tenantId, { select: 'SELECT TOP 1 * FROM c', where: 'c.crmLink.recordId = @recordId', orderBy: 'c.number' }, [{ name: '@recordId', value: recordId }]);
    return doc ? this.stored(doc) : undefined;
  }

  async listByOwner(tenantId: string, ownerId: string, options: { openOnly?: boolean } = {}): Promise<Deal[]> {
    const open = options.openOnly ? " AND c.stage != 'Close'" : '';
    const docs = await this.query<StoredDocument>(
      tenantId,
      { select: 'SELECT * FROM c', where: `c.owner.id = @ownerId${open}`, orderBy: 'c.number' },
      [{ name: '@ownerId', value: ownerId }],
    );
    return docs.map(fromDealDocument);
  }

  async listPipeline(tenantId: string, ownerId: string): Promise<PipelineDeal[]> {
    // Bracket paths: `value` is a keyword in Cosmos SQL (SELECT VALUE).
    const select = `SELECT ${PIPELINE_FIELDS.map((f) => `c["${f}"]`).join(", ")} FROM c`;
    return this.query<PipelineDeal>(tenantId, { select, where: "c.owner.id = @ownerId AND c.stage != 'Close'", orderBy: 'c.number' }, [{ name: '@ownerId', value: ownerId }]);
  }

  async findByAccount(tenantId: string, fragment: string, limit: number, audience?: DealAudience): Promise<Deal[]> {
    return this.findContaining(tenantId, 'c.account', fragment, limit, audience);
  }

  async findByTitle(tenantId: string, fragment: string, limit: number, audience?: DealAudience): Promise<Deal[]> {
    return this.findContaining(tenantId, 'c.title', fragment, limit, audience);
  }

  /** Whole deals whose `field` (fixed text, never input) contains the fragment, by number. */
  private async findContaining(tenantId: string, field: 'c.account' | 'c.title', fragment: string, limit: number, audience?: DealAudience): Promise<Deal[]> {
    const top = Math.floor(limit);
    if (!(top > 0)) return [];
    const visible = audienceOf(audience);
    const docs = await this.query<StoredDocument>(
      tenantId,
      { select: 'SELECT TOP @limit * FROM c', where: `CONTAINS(LOWER(${field}), @fragment)${visible.where}`, orderBy: 'c.number' },
      [
        { name: '@limit', value: top },
        { name: '@fragment', value: fragment.trim().toLowerCase() },
        ...visible.parameters,
      ],
    );
    return docs.map(fromDealDocument);
  }

  /**
   * Compose-box search: a projection, newest change first; every value is a parameter. One ARRAY_CONTAINS on the
   * deal's search keys (deal-document.ts, domain/search-keys.ts) per key of the query: Cosmos serves each from the
   * index of the array's elements, so the query reads the deals carrying the keys, not every deal of the tenant.
   * Parameter names are fixed text (@k0…); the keys themselves only ever go in as values.
   */
  async searchSummaries(tenantId: string, fragment: string, limit: number, audience?: DealAudience): Promise<DealSummary[]> {
    const top = Math.floor(limit);
    const keys = queryKeys(fragment);
    if (!(top > 0) || keys.length === 0) return [];
    const match = keys.map((_, i) => `ARRAY_CONTAINS(c.searchKeys, @k${i})`).join(' AND ');
    const visible = audienceOf(audience);
    return this.query<DealSummary>(
      tenantId,
      { select: `SELECT TOP @limit ${SUMMARY_SELECT} FROM c`, where: `${match}${visible.where}`, orderBy: 'c.updatedAt DESC' },
      [{ name: '@limit', value: top }, ...keys.map((value, i) => ({ name: `@k${i}`, value })), ...visible.parameters],
    );
  }

  async recentByOwner(tenantId: string, ownerId: string, limit: number): Promise<DealSummary[]> {
    const top = Math.floor(limit);
    if (!(top > 0)) return [];
    return this.query<DealSummary>(
      tenantId,
      { select: `SELECT TOP @limit ${SUMMARY_SELECT} FROM c`, where: 'c.owner.id = @ownerId', orderBy: 'c.updatedAt DESC' },
      [
        { name: '@limit', value: top },
        { name: '@ownerId', value: ownerId },
      ],
    );
  }

  /**
   * Background sweeps, the only cross-partition queries on deals. `<=` on two ISO-8601 UTC strings of
   * the same format orders them by time; a field that is absent (JSON drops undefined) is not matched.
   */
  /** Deals whose `timerDueAt` (see deal-document.ts: approval reminders, CSAT follow-ups) has come, earliest first. */
  async findWithDueTimers(now: string, limit: number): Promise<Array<{ tenantId: string; id: string }>> {
    const top = Math.floor(limit);
    if (!(top > 0)) return [];
    return this.sweep(
      "SELECT TOP @limit c.tenantId, c.id FROM c WHERE c.type = 'deal' AND IS_DEFINED(c.timerDueAt) AND c.timerDueAt <= @now ORDER BY c.timerDueAt",
      [
        { name: '@limit', value: top },
        { name: '@now', value: now },
      ],
    );
  }

  /** Deals whose `dispatchDueAt` (see deal-document.ts: due alerts, waiting notices) has come, earliest first. */
  async findWithDueAlerts(now: string, limit: number): Promise<Array<{ tenantId: string; id: string }>> {
    const top = Math.floor(limit);
    if (!(top > 0)) return [];
    return this.sweep(
      "SELECT TOP @limit c.tenantId, c.id FROM c WHERE c.type = 'deal' AND IS_DEFINED(c.dispatchDueAt) AND c.dispatchDueAt <= @now ORDER BY c.dispatchDueAt",
      [
        { name: '@limit', value: top },
        { name: '@now', value: now },
      ],
    );
  }

  /** Deals whose `crmDueAt` (domain/crm-outbox.ts: the earliest CRM event to send) has come, earliest first. */
  async findWithDueCrmEvents(now: string, limit: number): Promise<Array<{ tenantId: string; id: string }>> {
    const top = Math.floor(limit);
    if (!(top > 0)) return [];
    return this.sweep(
      "SELECT TOP @limit c.tenantId, c.id FROM c WHERE c.type = 'deal' AND IS_DEFINED(c.crmDueAt) AND c.crmDueAt <= @now ORDER BY c.crmDueAt",
      [
        { name: '@limit', value: top },
        { name: '@now', value: now },
      ],
    );
  }

  private async sweep(query: string, parameters: SqlParameter[]): Promise<Array<{ tenantId: string; id: string }>> {
    const { resources } = await this.container.items.query<{ tenantId: string; id: string }>({ query, parameters }).fetchAll();
    return resources.map(({ tenantId, id }) => ({ tenantId, id }));
  }

  /** Runs `<select> WHERE c.tenantId = @tenantId AND c.type = 'deal' [AND <where>] [ORDER BY <orderBy>]`. */
  private async query<T>(tenantId: string, sql: QueryParts, parameters: SqlParameter[] = []): Promise<T[]> {
    const where = sql.where ? ` AND ${sql.where}` : '';
    const orderBy = sql.orderBy ? ` ORDER BY ${sql.orderBy}` : '';
    const query = `${sql.select} WHERE c.tenantId = @tenantId AND c.type = 'deal'${where}${orderBy}`;
    const { resources } = await this.container.items
      .query<T>({ query, parameters: [{ name: '@tenantId', value: tenantId }, ...parameters] }, { partitionKey: [tenantId] })
      .fetchAll();
    return resources;
  }

  private stored(doc: StoredDocument): StoredDeal {
    if (!doc._etag) throw new Error(`Cosmos returned deal ${doc.id} without an etag`);
    return { deal: fromDealDocument(doc), etag: doc._etag };
  }
}
