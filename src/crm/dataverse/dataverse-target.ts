import type { TokenCredential } from '@azure/identity';
import type { Config } from '../../config';
import { CrmSendError, type CrmLink, type CrmTarget, type FieldConflict, type OutboundEvent, type SendResult } from '../../ports/crm-target.port';
import type { Logger } from '../../ports/logger.port';
import type { FieldOwnership } from '../field-ownership';
import { graphCredential } from '../../graph/graph-credential';
import { DataverseClient } from './dataverse-client';
import { dataverseToken } from './dataverse-token';
import { changedFields, mergeFields, writableFields } from './field-merge';
import { closeActionOf, REOPEN_BODY } from './opportunity-close';
import { dealText, dealValues, type FieldValues, isLookup, keyOf, type LookupIds, opportunityBody, recordValues } from './opportunity-fields';
import { opportunityIdOf } from './opportunity-id';
import { OpportunityLookups } from './opportunity-lookups';
import { OPPORTUNITIES, OPPORTUNITY_COLUMNS, OPPORTUNITY_SELECT, OPPORTUNITY_STATE, SYNCED_FIELDS, type SyncedField } from './opportunity-mapping';

/** How many times a write is tried again over a record that changed under it (412) before the dispatcher backs off. */
export const MERGE_ATTEMPTS = 3;

export interface DataverseTargetOptions {
  ownership: FieldOwnership;
  createAccounts: boolean;
}

type OpportunityRecord = Readonly<Record<string, unknown>>;

/** One send's view of the record: its id, the version DealDesk last saw, and the record when it was read. */
interface Sync {
  event: OutboundEvent;
  signal: AbortSignal;
  id: string;
  etag?: string;
  record?: OpportunityRecord;
  ids: LookupIds;
  conflicts: Map<SyncedField, FieldConflict>;
  /**
   * The record holds CRM values the deal does not (a field the merge left to the CRM): its version must not be
   * stored as the one DealDesk knows, or the change poller would skip it as DealDesk's own and never bring them in.
   */
  crmAhead?: boolean;
}

const isClosed = (record: OpportunityRecord): boolean => Number(record[OPPORTUNITY_COLUMNS.state]) !== OPPORTUNITY_STATE.open;

/**
 * DealDesk → Dynamics 365 Sales: each outbound event brings the deal's opportunity up to date (docs/crm-sync.md).
 * A new deal's record is created under an id derived from tenant and deal (`If-None-Match: *`), so a repeat finds it;
 * every later write is conditional on the version DealDesk last saw (`If-Match`), and a 412 is merged field by field
 * (field-merge.ts) and tried again. A close goes through WinOpportunity / LoseOpportunity after the fields; a reopen
 * reopens the record first. Errors are the DataverseClient's CrmSendErrors, for the dispatcher to record and retry.
 */
export class DataverseTarget implements CrmTarget {
  readonly name = 'dataverse' as const;
  private readonly lookups: OpportunityLookups;

  constructor(
    private readonly client: DataverseClient,
    private readonly options: DataverseTargetOptions,
    private readonly logger: Logger,
  ) {
    this.lookups = new OpportunityLookups(client, options.createAccounts, logger);
  }

  async send(event: OutboundEvent, link: CrmLink | undefined, signal: AbortSignal): Promise<SendResult> {
    const deal = event.deal;
    const creating = !link;
    const fields = creating ? [...SYNCED_FIELDS] : writableFields(this.options.ownership);
    const sync: Sync = { event, signal, id: link?.recordId ?? opportunityIdOf(event.tenantId, deal.id), etag: link?.etag, ids: await this.lookupIds(event, fields, signal), conflicts: new Map() };
    const created = creating && (await this.create(sync));
    const closing = deal.outcome !== undefined;
    const reopening = !closing && event.changes.some((c) => c.kind === 'stage' && c.from === 'Close');
    if (!created && (!sync.etag || closing || reopening)) await this.read(sync);
    if (sync.record && isClosed(sync.record)) {
      if (!reopening) {
        if (!closing) this.logger.info({ dealId: deal.id, eventId: event.eventId }, 'the opportunity is closed in Dynamics 365 and the deal is open: nothing written (the change poller brings the close in)');
        return this.result(sync);
      }
      await this.reopen(sync);
    }
    const open = created || (await this.writeFields(sync));
    if (open && closing) {
      const action = closeActionOf(deal, sync.id);
      await this.client.request('POST', action.name, { body: action.body, signal });
      await this.read(sync);
    }
    return this.result(sync);
  }

  /** Creates the record with every mapped field; false when it already exists (a repeat: it continues as an update). */
  private async create(sync: Sync): Promise<boolean> {
    const answer = await this.client.request('PATCH', pathOf(sync.id), { body: opportunityBody(sync.event.deal, SYNCED_FIELDS, sync.ids), ifNoneMatch: '*', signal: sync.signal });
    if (answer.status === 412) return false;
    sync.etag = answer.etag;
    if (!sync.etag) await this.read(sync);
    return true;
  }

  /**
   * Writes the deal's fields over the record, conditional on its version: all DealDesk may write while the record is
   * unread, only what the merge keeps once it was read. A 412 reads it and merges again, MERGE_ATTEMPTS times at most.
   * False when the record turned out closed meanwhile (nothing more is written to it).
   */
  private async writeFields(sync: Sync): Promise<boolean> {
    const changed = await this.changedKeys(sync);
    for (let attempt = 1; attempt <= MERGE_ATTEMPTS; attempt++) {
      if (sync.record && isClosed(sync.record)) return false;
      let fields = writableFields(this.options.ownership);
      if (sync.record) {
        const merge = mergeFields({ ownership: this.options.ownership, dealdesk: dealValues(sync.event.deal, sync.ids), crm: recordValues(sync.record), changed, at: sync.event.at, crmAt: stringOf(sync.record[OPPORTUNITY_COLUMNS.modifiedOn]) });
        for (const conflict of merge.conflicts) sync.conflicts.set(conflict.field as SyncedField, conflict);
        fields = merge.write;
        // Only a record that changed under DealDesk's write (a 412) holds CRM values the deal may lack.
        if (attempt > 1) sync.crmAhead = crmKeepsValues(dealValues(sync.event.deal, sync.ids), recordValues(sync.record), fields);
      }
      const body = opportunityBody(sync.event.deal, fields, sync.ids);
      if (Object.keys(body).length === 0) return true;
      const answer = await this.client.request('PATCH', pathOf(sync.id), { body, ifMatch: sync.etag ?? '*', signal: sync.signal });
      if (answer.status === 404) throw missing(sync.id);
      if (answer.status === 412) {
        await this.read(sync);
        continue;
      }
      sync.etag = answer.etag;
      sync.record = undefined;
      if (!sync.etag) await this.read(sync);
      return true;
    }
    throw new CrmSendError(`the opportunity changed in Dynamics 365 each time DealDesk wrote it (${MERGE_ATTEMPTS} tries): trying again later`, 412, undefined, 'changedMeanwhile');
  }

  /** Reopens a closed record (statecode 0, statuscode 2), conditional on its version; a 412 reads it and tries again. */
  private async reopen(sync: Sync): Promise<void> {
    for (let attempt = 1; attempt <= MERGE_ATTEMPTS; attempt++) {
      const answer = await this.client.request('PATCH', pathOf(sync.id), { body: REOPEN_BODY, ifMatch: sync.etag ?? '*', signal: sync.signal });
      if (answer.status === 404) throw missing(sync.id);
      if (answer.status !== 412) {
        await this.read(sync);
        return;
      }
      await this.read(sync);
      if (sync.record && !isClosed(sync.record)) return;
    }
    throw new CrmSendError(`the opportunity changed in Dynamics 365 each time DealDesk reopened it (${MERGE_ATTEMPTS} tries): trying again later`, 412, undefined, 'changedMeanwhile');
  }

  private async read(sync: Sync): Promise<void> {
    const answer = await this.client.request<Record<string, unknown>>('GET', `${pathOf(sync.id)}?$select=${OPPORTUNITY_SELECT}`, { signal: sync.signal });
    if (answer.status === 404 || !answer.body) throw missing(sync.id);
    sync.record = answer.body;
    sync.etag = answer.etag ?? stringOf(answer.body['@odata.etag']);
  }

  private result(sync: Sync): SendResult {
    const conflicts = [...sync.conflicts.values()];
    // A version with CRM values the deal lacks is left for the poller to bring in: the link keeps no ETag (the next
    // send reads the record first, as for an imported one).
    const etag = sync.etag && !sync.crmAhead ? { etag: sync.etag } : {};
    return { link: { recordId: sync.id, ...etag }, ...(conflicts.length > 0 ? { conflicts } : {}) };
  }

  /** The deal's lookups among `fields`, resolved to record ids; one not found stays unset, and the log says so. */
  private async lookupIds(event: OutboundEvent, fields: readonly SyncedField[], signal: AbortSignal): Promise<LookupIds> {
    const ids: LookupIds = {};
    for (const field of fields.filter(isLookup)) {
      const id = await this.lookups.idOf(field, dealText(event.deal, field), signal, field === 'account' && this.options.createAccounts);
      if (id) ids[field] = id;
      else this.logger.warn({ dealId: event.deal.id, eventId: event.eventId, field, createAccounts: field === 'account' ? this.options.createAccounts : undefined }, `no ${field} record found in Dynamics 365: the opportunity's ${field} is left unset${field === 'account' && !this.options.createAccounts ? ' (DATAVERSE_CREATE_ACCOUNTS is off)' : ''}`);
    }
    return ids;
  }

  /** What the event changed, each field's earlier value as the record would keep it (a lookup's earlier record, when found). */
  private async changedKeys(sync: Sync): Promise<Map<SyncedField, string | undefined>> {
    const keys = new Map<SyncedField, string | undefined>();
    for (const [field, from] of changedFields(sync.event)) {
      if (from === undefined) keys.set(field, undefined);
      else if (isLookup(field)) keys.set(field, (await this.lookups.idOf(field, from, sync.signal))?.toLowerCase());
      else keys.set(field, keyOf(field, from, {}));
    }
    return keys;
  }
}

const pathOf = (id: string): string => `${OPPORTUNITIES}(${id})`;

const stringOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const missing = (id: string): CrmSendError =>
  new CrmSendError(`the opportunity ${id} is not in Dynamics 365 any more (deleted there, or DealDesk may no longer read it)`, 404, undefined, 'recordMissing');

export interface DataverseDeps {
  logger: Logger;
  /** Makes the credential tokens come from; default the bot's own identity (graphCredential). A new one after a 401. */
  credential?: () => TokenCredential;
}

/** The Web API client for DATAVERSE_URL with the bot's own identity (config refuses DATAVERSE_URL without one). */
export function dataverseClient(config: Config, deps: Pick<DataverseDeps, 'credential'> = {}): DataverseClient {
  const { dataverse, auth } = config;
  if (!dataverse || !auth) throw new Error('DATAVERSE_URL is not set, or authentication is off');
  const credential = deps.credential ?? (() => graphCredential(auth, dataverse.authorityHost));
  return new DataverseClient({ url: dataverse.url, token: dataverseToken(credential, dataverse.url, dataverse.timeoutMs), timeoutMs: dataverse.timeoutMs });
}

/** The Dynamics 365 target for DATAVERSE_URL (crm-target-of.ts). */
export function dataverseTarget(config: Config, deps: DataverseDeps): DataverseTarget {
  const client = dataverseClient(config, deps);
  const { fieldOwnership, createAccounts } = config.dataverse!;
  return new DataverseTarget(client, { ownership: fieldOwnership, createAccounts }, deps.logger);
}

/** A field whose record value differs from the deal's and is not being written: the CRM keeps a value DealDesk lacks. */
function crmKeepsValues(dealdesk: FieldValues, crm: FieldValues, written: readonly SyncedField[]): boolean {
  return SYNCED_FIELDS.some((f) => !written.includes(f) && dealdesk[f].key !== undefined && crm[f].key !== undefined && dealdesk[f].key !== crm[f].key);
}
