import type { Container } from '@azure/cosmos';
import { ConcurrentUpdateError } from '../ports/deal-repository.port';
import type { PeopleRepository, PersonRecord } from '../ports/people-repository.port';
import type { Locale } from '../i18n/locale';
import { withMembership } from '../domain/team-membership';
import { backoff, statusOf } from './cosmos-errors';
import { CosmosMuteChoices } from './cosmos-mute-choices';
import { type CosmosSystemFields, withoutSystemFields } from './deal-document';
import { documentIdOf, keyOfDocumentId } from './document-id';
import { partitionKeyOf } from './partition-keys';

/** A person's full partition key: their tenant and their raw AAD object id (containers.ts); shared with their mutes and quotas. */
export const personKeyOf = (tenantId: string, personId: string) => partitionKeyOf('people-v2', { tenantId, personId });

/**
 * A person as stored: the record, its id made Cosmos-safe (normally the AAD object id itself), a discriminator, and
 * `personId`, the raw id, the second level of the container's partition key.
 */
export type PersonDocument = PersonRecord & { type: 'person'; personId: string };
type StoredPerson = PersonDocument & CosmosSystemFields;

/** Racing writers of one person (a roster sync and a message turn) are rare; 8 rounds settle 8 at once. */
const MAX_ATTEMPTS = 8;

const toDocument = (person: PersonRecord): PersonDocument => ({ ...person, id: documentIdOf(person.id), type: 'person', personId: person.id });

const toRecord = (doc: StoredPerson): PersonRecord => {
  const { type: _type, personId: _personId, ...person } = withoutSystemFields(doc);
  return { ...person, id: keyOfDocumentId(doc.id) };
};

/** The fields actually given: an `undefined` value means "not given", so the stored value stays. */
const givenFields = <T extends object>(fields: T): Partial<T> =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;

/**
 * People in the `people-v2` container, partitioned by /tenantId then /personId: one document per AAD object id, each
 * person (with their mute choices and quotas) a logical partition of its own. Search and reports are tenant-wide
 * queries on the prefix `[tenantId]`.
 * Merging writes read the stored document and replace it only if unchanged (IfMatch); a 412 (someone
 * wrote in between), a 409 (someone created it first) or a 404 (deleted in between) starts again from
 * a fresh read.
 */
export class CosmosPeopleRepository implements PeopleRepository {
  private readonly mutes: CosmosMuteChoices;

  constructor(private readonly container: Container) {
    this.mutes = new CosmosMuteChoices(container);
  }

  async upsert(person: Partial<PersonRecord> & Pick<PersonRecord, 'tenantId' | 'id' | 'name'>): Promise<void> {
    const given = givenFields(person);
    await this.merge(person.tenantId, person.id, (stored) => {
      const next: PersonRecord = {
        ...stored,
        ...given,
        tenantId: person.tenantId,
        id: person.id,
        name: person.name,
        updatedAt: person.updatedAt ?? new Date().toISOString(),
      };
      // Someone who writes to DealDesk or installs it is known in their own right again, whatever rosters say.
      if (next.met) delete next.unlisted;
      return next;
    });
  }

  async get(tenantId: string, id: string): Promise<PersonRecord | undefined> {
    const { resource } = await this.container.item(documentIdOf(id), personKeyOf(tenantId, id)).read<StoredPerson>();
    if (!resource || resource.type !== 'person') return undefined;
    return toRecord(resource);
  }

  /**
   * Name contains the query, or e-mail equals it, ignoring case. The embedded server rejects CONTAINS'
   * third (ignore-case) argument, so both sides are lower-cased: LOWER() in SQL, toLowerCase() here.
   * ORDER BY takes a path only, so the order is by the stored name (case-sensitive). A blank query finds no one.
   */
  async search(tenantId: string, query: string, limit: number): Promise<PersonRecord[]> {
    const top = Math.floor(limit);
    const q = query.trim().toLowerCase();
    if (!(top > 0) || !q) return [];
    const sql =
      "SELECT TOP @limit * FROM c WHERE c.tenantId = @tenantId AND c.type = 'person' AND NOT IS_DEFINED(c.unlisted) AND (CONTAINS(LOWER(c.name), @q) OR LOWER(c.email) = @q) ORDER BY c.name";
    const { resources } = await this.container.items
      .query<StoredPerson>(
        {
          query: sql,
          parameters: [
            { name: '@limit', value: top },
            { name: '@tenantId', value: tenantId },
            { name: '@q', value: q },
          ],
        },
        { partitionKey: [tenantId] },
      )
      .fetchAll();
    return resources.map(toRecord);
  }

  /**
   * Turning alerts off for someone DealDesk has no record of yet creates a minimal record (their id as
   * name until an upsert gives the real one), so the choice is not lost; turning them on for an unknown
   * person changes nothing (alerts are on by default).
   */
  async setAlertsOff(tenantId: string, id: string, off: boolean): Promise<void> {
    const updatedAt = new Date().toISOString();
    await this.merge(tenantId, id, (stored) => {
      if (stored) return stored.alertsOff === off ? undefined : { ...stored, alertsOff: off, updatedAt };
      return off ? { tenantId, id, name: id, alertsOff: true, updatedAt } : undefined;
    });
  }

  /**
   * One conditional write of the person document (none when nothing changes). Someone DealDesk has no record of yet
   * gets a minimal one (their id as name until an upsert gives the real one), so the choice is not lost.
   */
  async setLanguage(tenantId: string, id: string, language: Locale | undefined): Promise<void> {
    const updatedAt = new Date().toISOString();
    await this.merge(tenantId, id, (stored) => {
      if (!stored) return language ? { tenantId, id, name: id, language, updatedAt } : undefined;
      if (stored.language === language) return undefined;
      const { language: _old, ...rest } = stored;
      return language ? { ...rest, language, updatedAt } : { ...rest, updatedAt };
    });
  }

  /** One conditional write of the person document; nothing is written for someone DealDesk does not know. */
  async setManager(tenantId: string, id: string, managerId: string | undefined): Promise<void> {
    const updatedAt = new Date().toISOString();
    await this.merge(tenantId, id, (stored) => {
      if (!stored || stored.managerId === managerId) return undefined;
      const { managerId: _old, ...rest } = stored;
      return managerId ? { ...rest, managerId, updatedAt } : { ...rest, updatedAt };
    });
  }

  /** One conditional write of the person document when the membership changes anything; none for someone unknown. */
  async setTeamMembership(tenantId: string, id: string, teamId: string, member: boolean, at: string): Promise<void> {
    await this.merge(tenantId, id, (stored) => {
      const next = stored && withMembership(stored, teamId, member);
      return next && { ...next, updatedAt: at };
    });
  }

  /** One query within the tenant (prefix key). */
  async teamMemberIds(tenantId: string, teamId: string): Promise<string[]> {
    const sql = "SELECT c.id FROM c WHERE c.tenantId = @tenantId AND c.type = 'person' AND ARRAY_CONTAINS(c.teamIds, @teamId)";
    const { resources } = await this.container.items
      .query<{ id: string }>({ query: sql, parameters: [{ name: '@tenantId', value: tenantId }, { name: '@teamId', value: teamId }] }, { partitionKey: [tenantId] })
      .fetchAll();
    return resources.map((doc) => keyOfDocumentId(doc.id));
  }

  /** The manager's reports: one query within the tenant (prefix key). */
  async listReports(tenantId: string, managerId: string): Promise<PersonRecord[]> {
    const sql = "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'person' AND c.managerId = @managerId ORDER BY c.name";
    const { resources } = await this.container.items
      .query<StoredPerson>(
        { query: sql, parameters: [{ name: '@tenantId', value: tenantId }, { name: '@managerId', value: managerId }] },
        { partitionKey: [tenantId] },
      )
      .fetchAll();
    return resources.map(toRecord);
  }

  /** Mute choices are documents of their own (`type: "mute"`) in the person's partition: see cosmos-mute-choices.ts. */
  setMuteChoice(tenantId: string, personId: string, dealId: string, choice: boolean | undefined, at: string): Promise<void> {
    return this.mutes.set(tenantId, personId, dealId, choice, at);
  }

  muteChoices(tenantId: string, dealId: string, personIds: readonly string[]): Promise<Map<string, boolean>> {
    return this.mutes.of(tenantId, dealId, personIds);
  }

  async reportIdsOf(tenantId: string, managerIds: readonly string[]): Promise<string[]> {
    if (managerIds.length === 0) return [];
    const sql = "SELECT c.id FROM c WHERE c.tenantId = @tenantId AND c.type = 'person' AND ARRAY_CONTAINS(@managerIds, c.managerId)";
    const { resources } = await this.container.items
      .query<{ id: string }>(
        { query: sql, parameters: [{ name: '@tenantId', value: tenantId }, { name: '@managerIds', value: [...managerIds] }] },
        { partitionKey: [tenantId] },
      )
      .fetchAll();
    return resources.map((doc) => keyOfDocumentId(doc.id));
  }

  /** Read, change, write back conditionally; `change` returning undefined means "nothing to write". */
  private async merge(tenantId: string, id: string, change: (stored: PersonRecord | undefined) => PersonRecord | undefined): Promise<void> {
    const item = this.container.item(documentIdOf(id), personKeyOf(tenantId, id));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      if (attempt > 0) await backoff(attempt);
      const { resource } = await item.read<StoredPerson>();
      const stored = resource && resource.type === 'person' ? resource : undefined;
      const next = change(stored && toRecord(stored));
      if (!next) return;
      try {
        if (!stored?._etag) {
          await this.container.items.create(toDocument(next));
        } else {
          await item.replace(toDocument(next), { accessCondition: { type: 'IfMatch', condition: stored._etag } });
        }
        return;
      } catch (err) {
        const status = statusOf(err);
        if (status !== 409 && status !== 412 && status !== 404) throw err;
      }
    }
    throw new ConcurrentUpdateError();
  }
}
