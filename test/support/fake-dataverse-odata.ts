/**
 * The OData v4 pieces of the local Dataverse (fake-dataverse.ts): its tables and their columns, `$select`, the
 * `$filter` subset, `Prefer`, paging tokens, the shape of a record as the Web API returns it, and Dataverse's errors.
 */

export type Row = Record<string, unknown>;

/** A Dataverse error: `{"error":{"code":"0x…","message":…}}` with its HTTP status. */
export class ODataError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/** Dataverse's error codes for the answers the fake gives. */
export const CODES: Readonly<Record<number, string>> = {
  400: '0x80040203', // InvalidArgument
  401: '0x80072560', // not authenticated
  403: '0x80040220', // missing privilege
  404: '0x80040217', // object does not exist
  412: '0x80060882', // the row version does not match
  429: '0x80072322', // service protection: number of requests exceeded
  500: '0x80040216', // unexpected
  503: '0x80040216',
};

export type ColumnType = 'guid' | 'string' | 'money' | 'integer' | 'date' | 'datetime' | 'boolean' | 'lookup';

/** A lookup column: written as `<bind>@odata.bind: "/<set>(<guid>)"`, read as `_<bind>_value`. */
export interface Lookup { bind: string; sets: string[]; writable: boolean }

export interface TableDef {
  set: string;
  logical: string;
  key: string;
  columns: Readonly<Record<string, ColumnType>>;
  /** Columns a write may set (besides lookups marked writable). */
  writable: readonly string[];
  lookups: readonly Lookup[];
  /** The column a lookup to this table shows as its formatted value. */
  display: string;
  choices?: Readonly<Record<string, Readonly<Record<number, string>>>>;
}

const SYSTEM: Record<string, ColumnType> = { versionnumber: 'integer', createdon: 'datetime', modifiedon: 'datetime', _createdby_value: 'lookup', _modifiedby_value: 'lookup' };
const SYSTEM_LOOKUPS: Lookup[] = [{ bind: 'createdby', sets: ['systemusers'], writable: false }, { bind: 'modifiedby', sets: ['systemusers'], writable: false }];

export const TABLES: Readonly<Record<string, TableDef>> = {
  opportunities: {
    set: 'opportunities', logical: 'opportunity', key: 'opportunityid', display: 'name',
    columns: {
      ...SYSTEM, opportunityid: 'guid', name: 'string', description: 'string', stepname: 'string', estimatedvalue: 'money', closeprobability: 'integer',
      estimatedclosedate: 'date', salesstage: 'integer', statecode: 'integer', statuscode: 'integer', actualvalue: 'money', actualclosedate: 'date',
      _parentaccountid_value: 'lookup', _ownerid_value: 'lookup', _transactioncurrencyid_value: 'lookup',
    },
    writable: ['opportunityid', 'name', 'description', 'stepname', 'estimatedvalue', 'closeprobability', 'estimatedclosedate', 'salesstage', 'statecode', 'statuscode'],
    lookups: [...SYSTEM_LOOKUPS, { bind: 'parentaccountid', sets: ['accounts'], writable: true }, { bind: 'ownerid', sets: ['systemusers'], writable: true }, { bind: 'transactioncurrencyid', sets: ['transactioncurrencies'], writable: true }],
    choices: {
      statecode: { 0: 'Open', 1: 'Won', 2: 'Lost' },
      statuscode: { 1: 'In Progress', 2: 'On Hold', 3: 'Won', 4: 'Canceled', 5: 'Out-Sold' },
      salesstage: { 0: 'Qualify', 1: 'Develop', 2: 'Propose', 3: 'Close' },
    },
  },
  accounts: {
    set: 'accounts', logical: 'account', key: 'accountid', display: 'name',
    columns: { ...SYSTEM, accountid: 'guid', name: 'string', _ownerid_value: 'lookup', statecode: 'integer' },
    writable: ['accountid', 'name'],
    lookups: [...SYSTEM_LOOKUPS, { bind: 'ownerid', sets: ['systemusers'], writable: true }],
  },
  systemusers: {
    set: 'systemusers', logical: 'systemuser', key: 'systemuserid', display: 'fullname',
    columns: { ...SYSTEM, systemuserid: 'guid', fullname: 'string', azureactivedirectoryobjectid: 'guid', internalemailaddress: 'string', applicationid: 'guid', isdisabled: 'boolean' },
    writable: [],
    lookups: SYSTEM_LOOKUPS,
  },
  transactioncurrencies: {
    set: 'transactioncurrencies', logical: 'transactioncurrency', key: 'transactioncurrencyid', display: 'currencyname',
    columns: { ...SYSTEM, transactioncurrencyid: 'guid', isocurrencycode: 'string', currencyname: 'string', currencysymbol: 'string', exchangerate: 'money' },
    writable: [],
    lookups: SYSTEM_LOOKUPS,
  },
};

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `$select`: the columns asked for (the key always comes too); 400 for a column the table does not have. */
export function selectOf(table: TableDef, select: string | null): string[] | undefined {
  if (select === null) return undefined;
  const columns = select.split(',').map((c) => c.trim()).filter(Boolean);
  for (const c of columns) if (!(c in table.columns)) throw new ODataError(400, '0x80060888', `Could not find a property named '${c}' on type 'Microsoft.Dynamics.CRM.${table.logical}'.`);
  return [...new Set([table.key, ...columns])];
}

type Clause = { column: string; op: 'eq' | 'ne'; value: unknown };

/**
 * `$filter`: `<column> eq|ne <value>` clauses joined by `and`; values are '…' strings (quotes doubled), numbers,
 * guids, true/false or null. Strings compare case-insensitively, as Dataverse's collation does. Anything else is a 400.
 */
export function filterOf(table: TableDef, filter: string | null): (row: Row) => boolean {
  if (filter === null) return () => true;
  const clauses: Clause[] = splitAnd(filter).map((text) => {
    const m = /^\s*([A-Za-z_]\w*)\s+(eq|ne)\s+(.+?)\s*$/.exec(text);
    if (!m) throw new ODataError(400, '0x80060888', `the local Dataverse does not understand this filter: ${text}`);
    if (!(m[1] in table.columns)) throw new ODataError(400, '0x80060888', `Could not find a property named '${m[1]}' on type 'Microsoft.Dynamics.CRM.${table.logical}'.`);
    return { column: m[1], op: m[2] as 'eq' | 'ne', value: literal(m[3]) };
  });
  return (row) => clauses.every((c) => equal(row[c.column], c.value) === (c.op === 'eq'));
}

/** Splits on `and` outside '…' literals (an even number of quotes follows it). */
const splitAnd = (filter: string): string[] => filter.split(/\s+and\s+(?=(?:[^']*'[^']*')*[^']*$)/i);

function literal(text: string): unknown {
  if (/^'.*'$/s.test(text)) return text.slice(1, -1).replace(/''/g, "'");
  if (text === 'null') return null;
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (GUID.test(text)) return text.toLowerCase();
  throw new ODataError(400, '0x80060888', `the local Dataverse does not understand this value: ${text}`);
}

function equal(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

/** `Prefer`: the preferences the request states, by name (`odata.maxpagesize` → "100"). */
export function preferOf(header: string | undefined): Map<string, string> {
  const prefs = new Map<string, string>();
  for (const part of (header ?? '').split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
    const [name, ...value] = part.trim().split('=');
    if (name) prefs.set(name.toLowerCase(), value.join('=').replace(/^"|"$/g, ''));
  }
  return prefs;
}

/** Which annotations `odata.include-annotations` asks for. */
export function annotationsOf(prefs: Map<string, string>): { formatted: boolean; logical: boolean } {
  const asked = (prefs.get('odata.include-annotations') ?? '').split(',').map((a) => a.trim());
  return {
    formatted: asked.some((a) => a === '*' || a === 'OData.Community.Display.V1.FormattedValue'),
    logical: asked.some((a) => a === '*' || a === 'Microsoft.Dynamics.CRM.lookuplogicalname' || a === 'Microsoft.Dynamics.CRM.*'),
  };
}

/** A paging token (`$skiptoken`): the last key a page held, the version the whole query answers as of, and whether it tracks changes (its last page then carries the delta link, whatever the next pages' `Prefer`). */
export interface PageToken { after: string; asOf: number; tracking: boolean }
export const skiptokenOf = (t: PageToken): string => Buffer.from(JSON.stringify(t)).toString('base64url');
export function pageTokenOf(text: string): PageToken {
  try {
    const t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as PageToken;
    if (typeof t.after === 'string' && typeof t.asOf === 'number' && typeof t.tracking === 'boolean') return t;
  } catch {
    // falls through to the 400
  }
  throw new ODataError(400, '0x80060888', 'The $skiptoken is not valid.');
}

export const etagOf = (row: Row): string => `W/"${String(row.versionnumber)}"`;

/** A record as the Web API returns it: the selected columns, `@odata.etag`, and the annotations asked for. */
export function shape(table: TableDef, row: Row, select: string[] | undefined, annotations: { formatted: boolean; logical: boolean }, displayOf: (lookup: string, id: string) => { name: unknown; logical: string } | undefined): Row {
  const out: Row = { '@odata.etag': etagOf(row) };
  for (const column of select ?? Object.keys(table.columns)) {
    const value = row[column] ?? null;
    out[column] = value;
    if (value === null) continue;
    const lookup = /^_(\w+)_value$/.exec(column);
    if (lookup) {
      const target = displayOf(lookup[1], String(value));
      if (annotations.formatted && target) out[`${column}@OData.Community.Display.V1.FormattedValue`] = target.name;
      if (annotations.logical && target) out[`${column}@Microsoft.Dynamics.CRM.lookuplogicalname`] = target.logical;
    }
    const label = table.choices?.[column]?.[value as number];
    if (annotations.formatted && label) out[`${column}@OData.Community.Display.V1.FormattedValue`] = label;
  }
  return out;
}

/** Checks a written value against its column's type (400 otherwise); dates are Date Only, `YYYY-MM-DD`. */
export function checkValue(table: TableDef, column: string, value: unknown): void {
  if (value === null) return;
  const type = table.columns[column];
  const ok =
    type === 'string' ? typeof value === 'string'
      : type === 'money' ? typeof value === 'number' && Number.isFinite(value)
        : type === 'integer' ? Number.isInteger(value)
          : type === 'date' ? typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
            : type === 'guid' ? typeof value === 'string' && GUID.test(value)
              : type === 'boolean' ? typeof value === 'boolean' : true;
  if (!ok) throw new ODataError(400, '0x80048d19', `Error identified in Payload provided by the user for Entity :'${table.set}', Property '${column}': ${JSON.stringify(value)} is not a ${type}.`);
  if (column === 'closeprobability' && ((value as number) < 0 || (value as number) > 100)) throw new ODataError(400, '0x80044331', 'closeprobability must be between 0 and 100.');
}
