/**
 * How a DealDesk deal maps onto a Dynamics 365 Sales `opportunity` (Dataverse Web API). The one place that names
 * Dataverse's attributes: the connector's writes, its reads, the change-tracking poll and the import all go by it.
 *
 * `field` is the DealDesk name (also the name field ownership uses: CRM_FIELD_OWNERS). `attribute` is the
 * opportunity's column; for a lookup, `bind` is the navigation property written as `<bind>@odata.bind` and
 * `read` the `_…_value` property a read returns, resolved in `entitySet` by `key`.
 */
export type OpportunityMapping =
  | { field: SyncedField; kind: 'text'; attribute: string; max: number }
  | { field: SyncedField; kind: 'money' | 'integer' | 'date'; attribute: string }
  | { field: SyncedField; kind: 'lookup'; attribute: string; bind: string; read: string; entitySet: string; key: string; idAttribute: string }
  | { field: SyncedField; kind: 'choice'; attribute: string; values: Readonly<Record<string, number>> };

/** The deal's fields that sync with the CRM. */
export const SYNCED_FIELDS = ['title', 'account', 'value', 'currency', 'closeDate', 'probability', 'nextStep', 'stage', 'owner'] as const;
export type SyncedField = (typeof SYNCED_FIELDS)[number];

export const OPPORTUNITIES = 'opportunities';

export const OPPORTUNITY_MAPPING: readonly OpportunityMapping[] = [
  { field: 'title', kind: 'text', attribute: 'name', max: 300 },
  { field: 'account', kind: 'lookup', attribute: 'parentaccountid', bind: 'parentaccountid', read: '_parentaccountid_value', entitySet: 'accounts', key: 'name', idAttribute: 'accountid' },
  { field: 'value', kind: 'money', attribute: 'estimatedvalue' },
  { field: 'currency', kind: 'lookup', attribute: 'transactioncurrencyid', bind: 'transactioncurrencyid', read: '_transactioncurrencyid_value', entitySet: 'transactioncurrencies', key: 'isocurrencycode', idAttribute: 'transactioncurrencyid' },
  { field: 'closeDate', kind: 'date', attribute: 'estimatedclosedate' },
  { field: 'probability', kind: 'integer', attribute: 'closeprobability' },
  { field: 'nextStep', kind: 'text', attribute: 'stepname', max: 200 },
  // Dynamics 365 Sales' own sales stages (Qualify 0, Develop 1, Propose 2, Close 3): DealDesk's five stages fold onto them.
  { field: 'stage', kind: 'choice', attribute: 'salesstage', values: { Prospect: 0, Qualify: 0, Solution: 1, Proof: 2, Close: 3 } },
  // The SE by Entra object id: the system user whose `azureactivedirectoryobjectid` is the owner's id.
  { field: 'owner', kind: 'lookup', attribute: 'ownerid', bind: 'ownerid', read: '_ownerid_value', entitySet: 'systemusers', key: 'azureactivedirectoryobjectid', idAttribute: 'systemuserid' },
];

/** Columns the connector reads of an opportunity (its reads, the change-tracking poll, the import). */
export const OPPORTUNITY_SELECT = [
  'opportunityid',
  'name',
  '_parentaccountid_value',
  'estimatedvalue',
  '_transactioncurrencyid_value',
  'estimatedclosedate',
  'closeprobability',
  'stepname',
  'salesstage',
  '_ownerid_value',
  'statecode',
  'statuscode',
  'modifiedon',
  '_modifiedby_value',
].join(',');

/** The opportunity's state: open, won or lost (`statecode`); closing goes through the WinOpportunity / LoseOpportunity actions. */
export const OPPORTUNITY_STATE = { open: 0, won: 1, lost: 2 } as const;
/** `statuscode` given to the actions' `Status`: Won 3; Lost as Canceled 4 (Out-Sold is 5). */
export const CLOSE_STATUS = { won: 3, lost: 4 } as const;
/** The stage a Dynamics sales stage brings in when the deal's own stage does not already fold onto it. */
export const STAGE_OF_SALES_STAGE: Readonly<Record<number, string>> = { 0: 'Qualify', 1: 'Solution', 2: 'Proof' };

/** The formatted-value annotation of a property (a lookup's display name, a choice's label). */
export const formatted = (property: string): string => `${property}@OData.Community.Display.V1.FormattedValue`;

/** The opportunity's own columns the connector reads besides the mapped fields (its id, state and last change). */
export const OPPORTUNITY_COLUMNS = {
  id: 'opportunityid',
  state: 'statecode',
  status: 'statuscode',
  modifiedOn: 'modifiedon',
  modifiedBy: '_modifiedby_value',
} as const;

/** A system user's columns the poll reads to find the DealDesk person behind an owner (`systemusers(<id>)`). */
export const SYSTEM_USER_COLUMNS = { name: 'fullname' } as const;

/** The only open opportunities: the import's and change tracking's filter. */
export const OPEN_OPPORTUNITIES = `${OPPORTUNITY_COLUMNS.state} eq ${OPPORTUNITY_STATE.open}`;
/** `statuscode` a reopened opportunity gets with `statecode` 0 (In Progress). */
export const REOPEN_STATUS = 2;
/** The actions that close an opportunity, and their `OpportunityClose` entity's columns. */
export const CLOSE_ACTIONS = { won: 'WinOpportunity', lost: 'LoseOpportunity' } as const;
export const OPPORTUNITY_CLOSE = { entity: 'OpportunityClose', status: 'Status', opportunity: 'opportunityid', subject: 'subject', revenue: 'actualrevenue', end: 'actualend' } as const;
