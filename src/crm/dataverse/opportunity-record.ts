import { formatted, OPPORTUNITY_COLUMNS, OPPORTUNITY_MAPPING, OPPORTUNITY_STATE, type OpportunityMapping, type SyncedField } from './opportunity-mapping';

/** An opportunity as the Web API returns it (OData JSON, the columns of OPPORTUNITY_SELECT and their annotations). */
export type OpportunityRecord = Readonly<Record<string, unknown>>;

/**
 * An opportunity read through the mapping: DealDesk's words, Dataverse's values. Lookups are still ids (the owner's
 * system user, the currency's record): opportunity-lookups.ts resolves them. A column the record leaves empty is absent.
 */
export interface CrmOpportunity {
  recordId: string;
  /** `@odata.etag` (`W/"<versionnumber>"`), and the version number in it: a change's identity. */
  etag: string;
  version: string;
  state: 'open' | 'won' | 'lost';
  /** The status reason's label (`statuscode`'s formatted value), e.g. "Canceled". */
  statusLabel?: string;
  title?: string;
  account?: string;
  value?: number;
  currencyRecordId?: string;
  closeDate?: string;
  probability?: number;
  nextStep?: string;
  salesStage?: number;
  ownerUserId?: string;
  ownerName?: string;
  /** When and by whom the record last changed (the CRM's clock; the user's display name). */
  modifiedOn?: string;
  modifiedBy?: string;
}

const mapping = <K extends OpportunityMapping['kind']>(field: SyncedField): Extract<OpportunityMapping, { kind: K }> =>
  OPPORTUNITY_MAPPING.find((m) => m.field === field) as Extract<OpportunityMapping, { kind: K }>;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const number = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Change tracking reports a deleted record as `{"@odata.context":"…$deletedEntity","id":…,"reason":"deleted"}`. */
export const isDeletedEntry = (record: OpportunityRecord): boolean => record.reason === 'deleted' || /\$deletedEntity/.test(String(record['@odata.context'] ?? ''));

/** The version number in a record's ETag (`W/"<versionnumber>"`); undefined when there is none. */
export const versionOfEtag = (etag: string | undefined): string | undefined => (etag ? /"(\d+)"/.exec(etag)?.[1] : undefined);

/**
 * Whether `version` is older than the one in `knownEtag`. Dataverse's version numbers only grow (one counter per
 * environment), so a record read before DealDesk wrote a later version of it is older than the one its link keeps.
 */
export function olderThan(version: string, knownEtag: string | undefined): boolean {
  const known = versionOfEtag(knownEtag);
  return known !== undefined && BigInt(version) < BigInt(known);
}

/** The record through the mapping; undefined when it has no id or version (not an opportunity as selected). */
export function readOpportunity(record: OpportunityRecord): CrmOpportunity | undefined {
  const recordId = text(record[OPPORTUNITY_COLUMNS.id]);
  const etag = text(record['@odata.etag']);
  const version = versionOfEtag(etag);
  if (!recordId || !etag || !version) return undefined;
  const state = number(record[OPPORTUNITY_COLUMNS.state]);
  const lookup = (field: SyncedField) => mapping<'lookup'>(field).read;
  const column = (field: SyncedField) => record[mapping(field).attribute];
  const closeDate = text(column('closeDate'));
  const read: CrmOpportunity = {
    recordId,
    etag,
    version,
    state: state === OPPORTUNITY_STATE.won ? 'won' : state === OPPORTUNITY_STATE.lost ? 'lost' : 'open',
    statusLabel: text(record[formatted(OPPORTUNITY_COLUMNS.status)]),
    title: text(column('title')),
    account: text(record[formatted(lookup('account'))]),
    value: number(column('value')),
    currencyRecordId: text(record[lookup('currency')]),
    closeDate: closeDate?.slice(0, 10),
    probability: number(column('probability')),
    nextStep: text(column('nextStep')),
    salesStage: number(column('stage')),
    ownerUserId: text(record[lookup('owner')]),
    ownerName: text(record[formatted(lookup('owner'))]),
    modifiedOn: text(record[OPPORTUNITY_COLUMNS.modifiedOn]),
    modifiedBy: text(record[formatted(OPPORTUNITY_COLUMNS.modifiedBy)]),
  };
  return Object.fromEntries(Object.entries(read).filter(([, v]) => v !== undefined)) as unknown as CrmOpportunity;
}
