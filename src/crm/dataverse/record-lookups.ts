import type { DataverseClient } from './dataverse-client';
import { OPPORTUNITY_MAPPING, type OpportunityMapping, SYSTEM_USER_COLUMNS, type SyncedField } from './opportunity-mapping';

/** The part of the client the poll and the import use. */
export type DataverseReader = Pick<DataverseClient, 'request'>;

/** The owner of an opportunity as DealDesk knows people: the system user's Entra object id, and their name. */
export interface CrmOwner {
  aadObjectId?: string;
  name?: string;
}

const lookup = (field: SyncedField) => OPPORTUNITY_MAPPING.find((m) => m.field === field) as Extract<OpportunityMapping, { kind: 'lookup' }>;

/**
 * Resolves an opportunity's lookups into DealDesk's words: a currency record to its ISO code, an owner (system user) to
 * their Entra object id. One point read per record id, remembered for the life of the poller (they never change).
 */
export class RecordLookups {
  private readonly currencies = new Map<string, Promise<string | undefined>>();
  private readonly owners = new Map<string, Promise<CrmOwner>>();

  constructor(private readonly client: DataverseReader) {}

  currency(recordId: string, signal?: AbortSignal): Promise<string | undefined> {
    const { entitySet, key } = lookup('currency');
    return this.remembered(this.currencies, recordId, async () => {
      const answer = await this.client.request<Record<string, unknown>>('GET', `${entitySet}(${recordId})?$select=${key}`, { signal });
      const code = answer.body?.[key];
      return typeof code === 'string' ? code.toUpperCase() : undefined;
    });
  }

  owner(systemUserId: string, signal?: AbortSignal): Promise<CrmOwner> {
    const { entitySet, key } = lookup('owner');
    return this.remembered(this.owners, systemUserId, async () => {
      const answer = await this.client.request<Record<string, unknown>>('GET', `${entitySet}(${systemUserId})?$select=${key},${SYSTEM_USER_COLUMNS.name}`, { signal });
      const id = answer.body?.[key];
      const name = answer.body?.[SYSTEM_USER_COLUMNS.name];
      return { aadObjectId: typeof id === 'string' && id ? id : undefined, name: typeof name === 'string' ? name : undefined };
    });
  }

  /** A failed read is forgotten (asked again next time); a record id is not a path: only a GUID is asked for. */
  private remembered<T>(cache: Map<string, Promise<T>>, id: string, read: () => Promise<T>): Promise<T> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return Promise.reject(new Error(`not a record id: ${id.slice(0, 40)}`));
    const known = cache.get(id);
    if (known) return known;
    const reading = read();
    cache.set(id, reading);
    reading.catch(() => cache.delete(id));
    return reading;
  }
}
