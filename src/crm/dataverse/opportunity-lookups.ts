import type { Logger } from '../../ports/logger.port';
import { CrmSendError } from '../../ports/crm-target.port';
import { type DataverseClient, odataString } from './dataverse-client';
import { mappingOf, type LookupField } from './opportunity-fields';

/** Lookups a process remembers (account names, currency codes, owners' object ids → record ids), oldest dropped first. */
export const LOOKUPS_KEPT = 500;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Resolves a deal's lookups to Dataverse records: the account by name (in `accounts`, created only when
 * DATAVERSE_CREATE_ACCOUNTS is on), the currency by ISO code (`transactioncurrencies`), the owner by Entra object id
 * (`systemusers`). Found ids are kept per process, at most LOOKUPS_KEPT; a miss is asked again next time (the record
 * may have been added meanwhile).
 */
export class OpportunityLookups {
  private readonly found = new Map<string, string>();

  constructor(
    private readonly client: DataverseClient,
    private readonly createAccounts: boolean,
    private readonly logger: Logger,
  ) {}

  /** The record id for `value` of a lookup field, or undefined (not found; not creatable). `create` allows making a missing account. */
  async idOf(field: LookupField, value: string, signal: AbortSignal, create = false): Promise<string | undefined> {
    const m = mappingOf(field);
    if (m.kind !== 'lookup' || !value.trim()) return undefined;
    const cacheKey = `${m.entitySet}|${value.toLowerCase()}`;
    const known = this.found.get(cacheKey);
    if (known) {
      this.found.delete(cacheKey);
      this.found.set(cacheKey, known);
      return known;
    }
    // The owner's key is an object id (a GUID literal); a person DealDesk knows by another id has no system user.
    const literal = field === 'owner' ? (GUID.test(value) ? value : undefined) : odataString(value);
    if (literal === undefined) return undefined;
    const answer = await this.client.request<{ value?: Array<Record<string, unknown>> }>('GET', `${m.entitySet}?$select=${m.idAttribute}&$filter=${m.key} eq ${literal}&$top=1`, { signal });
    let id = answer.body?.value?.[0]?.[m.idAttribute];
    if (typeof id !== 'string' && field === 'account' && create) id = await this.createAccount(value, signal);
    if (typeof id !== 'string') return undefined;
    this.remember(cacheKey, id);
    return id;
  }

  private async createAccount(name: string, signal: AbortSignal): Promise<string> {
    const m = mappingOf('account');
    if (m.kind !== 'lookup') throw new Error('the account is a lookup');
    const answer = await this.client.request('POST', m.entitySet, { body: { [m.key]: name }, signal });
    const id = /\(([0-9a-f-]{36})\)\s*$/i.exec(answer.entityId ?? '')?.[1];
    if (!id) throw new CrmSendError(`Dataverse created an account but named no id (POST ${m.entitySet})`, answer.status, undefined, 'noEntityId');
    this.logger.info({ entitySet: m.entitySet }, 'created a missing account in Dynamics 365 (DATAVERSE_CREATE_ACCOUNTS=on)');
    return id;
  }

  get accountsCreatable(): boolean {
    return this.createAccounts;
  }

  private remember(key: string, id: string): void {
    this.found.set(key, id);
    if (this.found.size > LOOKUPS_KEPT) this.found.delete(this.found.keys().next().value!);
  }
}
