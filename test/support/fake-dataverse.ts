import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeEntraToken } from './fake-entra-token';
import {
  annotationsOf, CODES, checkOpportunityState, checkValue, type DataverseFault, etagOf, faultAnswer, filterOf, GUID, ODataError, pageTokenOf, preferOf, queryText, refOf, type Row, selectOf,
  shape, skiptokenOf, TABLES, type TableDef,
} from './fake-dataverse-odata';

export type { DataverseFault } from './fake-dataverse-odata';

const WEB_API = '/api/data/v9.2/';
/** The query options it understands; any other is a 400 rather than silently ignored. */
const SUPPORTED_OPTIONS = ['$select', '$filter', '$top', '$skiptoken', '$deltatoken'];

/** `slow()`: the next `times` requests whose method and path (with its query, decoded) match are answered `delayMs` late. */
export interface SlowRule { times: number; delayMs: number; method?: string; path?: RegExp }

export interface DataverseRequestRecord { method: string; path: string; headers: Record<string, string>; body?: unknown; status: number }

/**
 * A local Dataverse environment (Dynamics 365 Sales' Web API v9.2, OData v4 JSON) for the subset DealDesk's connector
 * uses: opportunities, accounts, system users and currencies; ETags and If-Match / If-None-Match; paging with
 * `Prefer: odata.maxpagesize` and `@odata.nextLink`; change tracking with delta links (changes and deletes);
 * `WinOpportunity` / `LoseOpportunity`; lookups written with `@odata.bind` and read as `_…_value` with their formatted
 * values. Its token endpoint (`authorityHost`, HTTPS, trusted through `caFile`) issues tokens for `${url}/.default` to
 * any client (any secret); each client is an application user of the environment, and Web API writes are theirs.
 * Faults: `fail`, service protection (`limitRequests`), expired tokens, missing privileges. Every Web API request is
 * recorded in `requests`. Each rule it keeps is proven in fake-dataverse.spec.ts.
 *
 * A DealDesk process reaches it with DATAVERSE_URL=`url`, AZURE_AUTHORITY_HOST=`authorityHost` and
 * NODE_EXTRA_CA_CERTS=`caFile`; code in the test's own process passes `tlsOptions: { ca }` to the credential, or takes
 * a token from `token()`.
 */
export class FakeDataverse {
  readonly requests: DataverseRequestRecord[] = [];
  /** The opportunityclose activities the two actions created. */
  readonly closes: Row[] = [];
  /** The CRM user the test API acts as when no user is given. */
  readonly adminUserId: string;
  private version = 1000;
  private readonly rows: Record<string, Map<string, Row>> = Object.fromEntries(Object.keys(TABLES).map((set) => [set, new Map<string, Row>()]));
  private readonly deleted: Record<string, Map<string, number>> = Object.fromEntries(Object.keys(TABLES).map((set) => [set, new Map<string, number>()]));
  private faults: DataverseFault[] = [];
  private slowRules: SlowRule[] = [];
  private limit?: { perUser: number; windowMs: number };
  private readonly counted = new Map<string, number[]>();
  private readonly expired = new Set<string>();
  private readonly revoked = new Set<string>();
  private readonly server: Server;

  private constructor(private readonly entra: FakeEntraToken, private readonly now: () => Date, private readonly pageSize: number) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    for (const [iso, currencyname, currencysymbol, exchangerate] of [['USD', 'US Dollar', '$', 1], ['EUR', 'Euro', '€', 0.92], ['GBP', 'Pound Sterling', '£', 0.79], ['CNY', 'Yuan Renminbi', '¥', 7.2], ['JPY', 'Yen', '¥', 150]] as const) {
      this.put('transactioncurrencies', randomUUID(), { isocurrencycode: iso, currencyname, currencysymbol, exchangerate }, undefined);
    }
    this.adminUserId = this.addUser({ aadObjectId: randomUUID(), fullname: 'CRM Administrator' });
  }

  /** `pageSize`: the most records a page holds (default 5000, Dataverse's); a smaller `odata.maxpagesize` wins. `now`: the clock for modifiedon and the service protection window. */
  static async start(options: { pageSize?: number; now?: () => Date } = {}): Promise<FakeDataverse> {
    const entra = await new FakeEntraToken().start();
    const fake = new FakeDataverse(entra, options.now ?? (() => new Date()), options.pageSize ?? 5000);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The environment's root (DATAVERSE_URL); the Web API is under /api/data/v9.2/. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** AZURE_AUTHORITY_HOST: `POST <authorityHost>/<tenant>/oauth2/v2.0/token` (HTTPS; trust `caFile`). */
  get authorityHost(): string {
    return this.entra.authorityHost;
  }

  /** The token endpoint's certificate: NODE_EXTRA_CA_CERTS for a child process, or `tlsOptions.ca` in this one. */
  get caFile(): string {
    return this.entra.caFile;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.entra.stop();
  }

  /** A token for `${url}/.default` issued to `clientId`, without the HTTPS round trip (for in-process tests). */
  token(clientId = 'dealdesk-tests'): string {
    return this.entra.issue('local-tenant', clientId, `${this.url}/.default`);
  }

  /** The application user (systemuserid) a client's Web API writes are recorded as (`_modifiedby_value`). */
  appUserId(clientId: string): string {
    const found = [...this.rows.systemusers.values()].find((u) => u.applicationid === clientId);
    return found ? String(found.systemuserid) : this.put('systemusers', randomUUID(), { fullname: `# ${clientId}`, applicationid: clientId, azureactivedirectoryobjectid: randomUUID(), isdisabled: false }, undefined);
  }

  addUser(u: { aadObjectId: string; fullname: string; email?: string }): string {
    return this.put('systemusers', randomUUID(), { fullname: u.fullname, azureactivedirectoryobjectid: u.aadObjectId.toLowerCase(), internalemailaddress: u.email ?? null, isdisabled: false }, undefined);
  }

  addAccount(name: string): string {
    return this.put('accounts', randomUUID(), { name, statecode: 0, _ownerid_value: this.adminUserId }, this.adminUserId);
  }

  currencyId(iso: string): string {
    const found = [...this.rows.transactioncurrencies.values()].find((c) => c.isocurrencycode === iso);
    if (!found) throw new Error(`no currency ${iso} in the local Dataverse`);
    return String(found.transactioncurrencyid);
  }

  /** As a CRM user would create one: attributes, `x@odata.bind` or `_x_value` lookups. */
  createOpportunity(attrs: Record<string, unknown>, byUserId = this.adminUserId): string {
    const changes = this.changesOf(TABLES.opportunities, attrs, true);
    const id = String(changes.opportunityid ?? randomUUID()).toLowerCase();
    if (this.rows.opportunities.has(id)) throw new Error(`opportunity ${id} exists`);
    checkOpportunityState(undefined, changes);
    return this.put('opportunities', id, changes, byUserId);
  }

  editOpportunity(id: string, attrs: Record<string, unknown>, byUserId = this.adminUserId): void {
    const row = this.rows.opportunities.get(id.toLowerCase());
    if (!row) throw new Error(`no opportunity ${id}`);
    const changes = this.changesOf(TABLES.opportunities, attrs, true);
    checkOpportunityState(row, changes);
    this.put('opportunities', id.toLowerCase(), changes, byUserId);
  }

  closeOpportunity(id: string, outcome: 'won' | 'lost', byUserId = this.adminUserId): void {
    this.close_(id.toLowerCase(), outcome === 'won', outcome === 'won' ? 3 : 4, { subject: `${outcome === 'won' ? 'Won' : 'Lost'} in the CRM` }, byUserId);
  }

  /** Deletes it as a CRM user would: change tracking reports it as a `$deletedEntity`. */
  deleteOpportunity(id: string): void {
    if (!this.remove('opportunities', id.toLowerCase())) throw new Error(`no opportunity ${id}`);
  }

  opportunity(id: string): Record<string, unknown> | undefined {
    const row = this.rows.opportunities.get(id.toLowerCase());
    return row && { ...row };
  }

  opportunities(): Array<Record<string, unknown>> {
    return [...this.rows.opportunities.values()].map((r) => ({ ...r }));
  }

  accounts(): Array<Record<string, unknown>> {
    return [...this.rows.accounts.values()].map((r) => ({ ...r }));
  }

  /** The next `times` matching requests (method, and path with its query) are answered with `status` instead. */
  fail(rule: DataverseFault): void {
    this.faults.push({ ...rule });
  }

  /** The next `times` matching requests are answered as usual, `delayMs` late (a busy environment; a crash lands meanwhile). */
  slow(rule: SlowRule): void {
    this.slowRules.push({ ...rule });
  }

  /** Service protection: past `perUser` requests by one client (token subject) within `windowMs`, 429 + Retry-After. */
  limitRequests(perUser: number, windowMs: number): void {
    this.limit = { perUser, windowMs };
    this.counted.clear();
  }

  expireTokens(): void {
    for (const token of this.entra.issuedTokens.keys()) this.expired.add(token);
  }

  revokePermission(entitySet: string): void {
    this.revoked.add(entitySet);
  }

  grantPermission(entitySet: string): void {
    this.revoked.delete(entitySet);
  }

  private async handle(req: IncomingMessage, res: ServerResponse, text: string): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
    let body: unknown;
    const answer = (status: number, payload?: unknown, extra: Record<string, string> = {}) => {
      this.requests.push({ method, path: decodeURIComponent(url.pathname + url.search), headers, body, status });
      if (res.destroyed) return;
      res.writeHead(status, { 'odata-version': '4.0', ...(payload !== undefined ? { 'content-type': 'application/json; odata.metadata=minimal' } : {}), ...extra });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    try {
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
        throw new ODataError(400, '0x80048d19', 'The request body is not valid JSON.');
      }
      const slow = this.slowFor(method, decodeURIComponent(url.pathname + url.search));
      if (slow) await new Promise((resolve) => setTimeout(resolve, slow.delayMs));
      const fault = this.faultFor(method, decodeURIComponent(url.pathname + url.search));
      if (fault && !fault.carriedOut) await faultAnswer(fault);
      const subject = this.authenticate(headers.authorization);
      this.throttle(subject);
      const result = this.route(method, url, headers, body, this.appUserId(subject));
      if (fault) await faultAnswer(fault);
      answer(result.status, result.body, result.headers);
    } catch (e) {
      if (!(e instanceof ODataError)) return answer(500, { error: { code: CODES[500], message: String(e) } });
      answer(e.status, { error: { code: e.code, message: e.message } }, e.headers);
    }
  }

  private slowFor(method: string, path: string): SlowRule | undefined {
    const rule = this.slowRules.find((r) => r.times > 0 && (!r.method || r.method.toUpperCase() === method) && (!r.path || r.path.test(path)));
    if (rule) rule.times -= 1;
    return rule;
  }

  private faultFor(method: string, path: string): DataverseFault | undefined {
    const rule = this.faults.find((f) => f.times > 0 && (!f.method || f.method.toUpperCase() === method) && (!f.path || f.path.test(path)));
    if (rule) rule.times -= 1;
    return rule;
  }

  /** The client the bearer token was issued to; 401 unless it came from this environment's token endpoint, for it, and is not expired. */
  private authenticate(authorization: string | undefined): string {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    const issued = token ? this.entra.issuedTokens.get(token) : undefined;
    if (!token || !issued || issued.scope.replace(/\/*\.default$/, '') !== this.url || this.expired.has(token)) {
      throw new ODataError(401, CODES[401], token ? 'The token is expired or was not issued for this environment.' : 'Bearer token is required.', {
        'www-authenticate': `Bearer error="invalid_token", authorization_uri=${this.authorityHost}/common/oauth2/authorize, resource_id=${this.url}/`,
      });
    }
    return issued.clientId;
  }

  private throttle(subject: string): void {
    if (!this.limit) return;
    const { perUser, windowMs } = this.limit;
    const at = this.now().getTime();
    const times = (this.counted.get(subject) ?? []).filter((t) => t > at - windowMs);
    if (times.length >= perUser) {
      const seconds = Math.max(1, Math.ceil((times[0] + windowMs - at) / 1000));
      throw new ODataError(429, CODES[429], `Number of requests exceeded the limit of ${perUser} over time window of ${Math.round(windowMs / 1000)} seconds.`, { 'retry-after': String(seconds) });
    }
    times.push(at);
    this.counted.set(subject, times);
  }

  private route(method: string, url: URL, headers: Record<string, string>, body: unknown, by: string): { status: number; body?: unknown; headers?: Record<string, string> } {
    const path = decodeURIComponent(url.pathname);
    if (!path.startsWith(WEB_API)) throw new ODataError(404, CODES[404], `Resource not found: ${path}`);
    const rest = path.slice(WEB_API.length);
    if (method === 'GET' && /^WhoAmI(\(\))?$/.test(rest)) return { status: 200, body: { '@odata.context': `${this.root}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`, UserId: by, BusinessUnitId: '00000000-0000-0000-0000-0000000000b1', OrganizationId: '00000000-0000-0000-0000-0000000000a1' } };
    if (rest === 'WinOpportunity' || rest === 'LoseOpportunity') {
      if (method !== 'POST') throw new ODataError(405, CODES[400], `${rest} is an action: POST it.`);
      return this.closeAction(rest === 'WinOpportunity', body, by);
    }
    const m = /^(\w+)(?:\(([^)]*)\))?$/.exec(rest);
    const table = m ? TABLES[m[1]] : undefined;
    if (!m || !table) throw new ODataError(404, CODES[404], `Resource not found for the segment '${rest}'.`);
    if (this.revoked.has(table.set)) throw new ODataError(403, CODES[403], `Principal user (Id=${by}) is missing prv${table.logical} privilege on the ${table.logical} entity.`);
    const unsupported = [...url.searchParams.keys()].find((k) => k.startsWith('$') && !SUPPORTED_OPTIONS.includes(k));
    if (unsupported) throw new ODataError(400, '0x80060888', `The query option '${unsupported}' is not supported by the local Dataverse (only ${SUPPORTED_OPTIONS.join(', ')}).`);
    const id = m[2]?.toLowerCase();
    if (id !== undefined && !GUID.test(id)) throw new ODataError(400, CODES[400], `'${m[2]}' is not a valid key.`);
    const writable = table.set === 'opportunities' || table.set === 'accounts';
    if (method === 'GET' && id) return this.getOne(table, id, url.searchParams, headers);
    if (method === 'GET') return this.query(table, url.searchParams, headers);
    if (method === 'PATCH' && id && writable) return this.upsert(table, id, headers, body, by);
    if (method === 'POST' && !id && writable) return this.create(table, headers, body, by);
    if (method === 'DELETE' && id && writable) {
      if (!this.remove(table.set, id)) throw this.missing(table, id);
      return { status: 204 };
    }
    throw new ODataError(405, CODES[400], `${method} ${rest} is not supported by the local Dataverse.`);
  }

  private get root(): string {
    return `${this.url}${WEB_API}`;
  }

  private getOne(table: TableDef, id: string, params: URLSearchParams, headers: Record<string, string>) {
    const row = this.rows[table.set].get(id);
    if (!row) throw this.missing(table, id);
    const select = selectOf(table, params.get('$select'));
    if (headers['if-none-match'] === etagOf(row)) return { status: 304, headers: { etag: etagOf(row) } };
    const prefs = preferOf(headers.prefer);
    const context = `${this.root}$metadata#${table.set}${select ? `(${select.join(',')})` : ''}/$entity`;
    return { status: 200, body: { '@odata.context': context, ...this.shaped(table, row, select, prefs) }, headers: { etag: etagOf(row), ...this.applied(prefs, ['odata.include-annotations']) } };
  }

  /**
   * A query, or a delta link's changes: keyset pages in key order, as of the version the first page saw (the delta
   * link carries it, so a change made while paging comes again in the next delta). A delta link keeps `$select`, not
   * `$filter`: it reports every record changed since (a record closed since comes too) and every one deleted.
   */
  private query(table: TableDef, params: URLSearchParams, headers: Record<string, string>) {
    const select = selectOf(table, params.get('$select'));
    const prefs = preferOf(headers.prefer);
    const skiptoken = params.get('$skiptoken');
    const token = skiptoken ? pageTokenOf(skiptoken) : undefined;
    const asOf = token?.asOf ?? this.version;
    const deltatoken = params.get('$deltatoken');
    const tracking = token?.tracking ?? (deltatoken !== null || prefs.has('odata.track-changes'));
    let items: Array<{ key: string; row?: Row }>;
    if (deltatoken !== null) {
      const since = Number(deltatoken);
      if (!Number.isInteger(since) || since > this.version) throw new ODataError(400, '0x80044352', `The delta token '${deltatoken}' is not valid.`);
      items = [
        ...[...this.rows[table.set].entries()].filter(([, row]) => Number(row.versionnumber) > since).map(([key, row]) => ({ key, row })),
        ...[...this.deleted[table.set].entries()].filter(([, v]) => v > since).map(([key]) => ({ key })),
      ];
    } else {
      const where = filterOf(table, params.get('$filter'));
      items = [...this.rows[table.set].entries()].filter(([, row]) => where(row)).map(([key, row]) => ({ key, row }));
    }
    items.sort((a, b) => (a.key < b.key ? -1 : 1));
    if (token) items = items.filter((i) => i.key > token.after);
    const top = params.get('$top');
    if (top !== null) items = items.slice(0, Number(top));
    const asked = Number(prefs.get('odata.maxpagesize') ?? Infinity);
    const size = Math.min(asked > 0 ? asked : Infinity, this.pageSize);
    const page = items.slice(0, size);
    const annotations = prefs;
    const value = page.map((i) => (i.row ? this.shaped(table, i.row, select, annotations) : { '@odata.context': `${this.root}$metadata#${table.set}/$deletedEntity`, id: i.key, reason: 'deleted' }));
    const out: Row = { '@odata.context': `${this.root}$metadata#${table.set}${select ? `(${select.join(',')})` : ''}${deltatoken !== null ? '/$delta' : ''}`, value };
    if (items.length > size) {
      const next = new URLSearchParams(params);
      next.set('$skiptoken', skiptokenOf({ after: page[page.length - 1].key, asOf, tracking }));
      out['@odata.nextLink'] = `${this.root}${table.set}?${queryText(next)}`;
    } else if (tracking) {
      const delta = new URLSearchParams();
      if (params.has('$select')) delta.set('$select', params.get('$select')!);
      delta.set('$deltatoken', String(asOf));
      out['@odata.deltaLink'] = `${this.root}${table.set}?${queryText(delta)}`;
    }
    const honoured = ['odata.include-annotations', ...(Number.isFinite(asked) ? ['odata.maxpagesize'] : []), ...(prefs.has('odata.track-changes') ? ['odata.track-changes'] : [])];
    return { status: 200, body: out, headers: this.applied(prefs, honoured) };
  }

  /** PATCH: upsert; `If-None-Match: *` creates only, `If-Match: *` updates only, `If-Match: W/"n"` updates version n only. */
  private upsert(table: TableDef, id: string, headers: Record<string, string>, body: unknown, by: string) {
    const existing = this.rows[table.set].get(id);
    const ifMatch = headers['if-match'];
    if (headers['if-none-match'] === '*' && existing) throw new ODataError(412, '0x80040237', 'A record with matching key values already exists.');
    if (ifMatch && !existing) throw this.missing(table, id);
    if (ifMatch && existing && ifMatch !== '*' && ifMatch !== etagOf(existing)) throw new ODataError(412, CODES[412], "The version of the existing record doesn't match the RowVersion property provided.");
    const changes = this.changesOf(table, body, false);
    if (changes[table.key] !== undefined && changes[table.key] !== id) throw new ODataError(400, CODES[400], `${table.key} in the body is not the key in the URL.`);
    if (table.set === 'opportunities') checkOpportunityState(existing, changes);
    this.put(table.set, id, changes, by);
    return this.written(table, id, headers, existing ? 200 : 201);
  }

  /** POST: create; a key already used is a 412 (duplicate key). */
  private create(table: TableDef, headers: Record<string, string>, body: unknown, by: string) {
    const changes = this.changesOf(table, body, false);
    const id = String(changes[table.key] ?? randomUUID()).toLowerCase();
    if (this.rows[table.set].has(id)) throw new ODataError(412, '0x80040237', 'A record with matching key values already exists.');
    if (table.set === 'opportunities') checkOpportunityState(undefined, changes);
    this.put(table.set, id, changes, by);
    return this.written(table, id, headers, 201);
  }

  /** 204 with ETag and OData-EntityId, or the record itself under `Prefer: return=representation`. */
  private written(table: TableDef, id: string, headers: Record<string, string>, representationStatus: number) {
    const row = this.rows[table.set].get(id)!;
    const prefs = preferOf(headers.prefer);
    const common = { etag: etagOf(row), 'odata-entityid': `${this.root}${table.set}(${id})` };
    if (prefs.get('return') !== 'representation') return { status: 204, headers: common };
    const body = { '@odata.context': `${this.root}$metadata#${table.set}/$entity`, ...this.shaped(table, row, undefined, prefs) };
    return { status: representationStatus, body, headers: { ...common, ...this.applied(prefs, ['return', 'odata.include-annotations']) } };
  }

  private closeAction(won: boolean, body: unknown, by: string) {
    if (this.revoked.has('opportunities')) throw new ODataError(403, CODES[403], `Principal user (Id=${by}) is missing prvWriteOpportunity privilege.`);
    const { Status, OpportunityClose } = (body ?? {}) as { Status?: unknown; OpportunityClose?: Record<string, unknown> };
    const ref = refOf(OpportunityClose?.['opportunityid@odata.bind']);
    if (!ref || ref.set !== 'opportunities') throw new ODataError(400, CODES[400], 'OpportunityClose needs opportunityid@odata.bind: /opportunities(<guid>).');
    if (!(won ? [3] : [4, 5]).includes(Status as number)) throw new ODataError(400, CODES[400], `Status ${String(Status)} is not a ${won ? 'won' : 'lost'} status of the opportunity.`);
    this.close_(ref.id, won, Status as number, OpportunityClose!, by);
    return { status: 204 };
  }

  private close_(id: string, won: boolean, status: number, close: Record<string, unknown>, by: string): void {
    const row = this.rows.opportunities.get(id);
    if (!row) throw this.missing(TABLES.opportunities, id);
    if (row.statecode !== 0) throw new ODataError(400, CODES[400], 'The opportunity is already closed.');
    const actualend = typeof close.actualend === 'string' ? close.actualend.slice(0, 10) : this.now().toISOString().slice(0, 10);
    const actualvalue = typeof close.actualrevenue === 'number' ? close.actualrevenue : (row.actualvalue ?? null);
    this.put('opportunities', id, { statecode: won ? 1 : 2, statuscode: status, actualvalue, actualclosedate: actualend }, by);
    this.closes.push({ activityid: randomUUID(), opportunityid: id, subject: close.subject ?? null, actualrevenue: close.actualrevenue ?? null, actualend, statuscode: status });
  }

  /** A write's body as column changes: writable attributes (type-checked) and lookups bound with `x@odata.bind` (or, for the test API, `_x_value`). */
  private changesOf(table: TableDef, body: unknown, byValue: boolean): Row {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ODataError(400, '0x80048d19', 'The request body must be a JSON object.');
    const changes: Row = {};
    for (const [name, value] of Object.entries(body)) {
      if (name.startsWith('@odata.')) continue;
      const bound = /^(\w+)@odata\.bind$/.exec(name)?.[1] ?? (byValue ? /^_(\w+)_value$/.exec(name)?.[1] : undefined);
      if (bound) {
        const lookup = table.lookups.find((l) => l.bind === bound && l.writable);
        if (!lookup) throw new ODataError(400, '0x80060888', `An undeclared property '${bound}' which only has property annotations in the payload but no property value was found.`);
        if (value === null) {
          changes[`_${bound}_value`] = null;
          continue;
        }
        const ref = name.endsWith('@odata.bind') ? refOf(value) : { set: lookup.sets[0], id: String(value).toLowerCase() };
        if (!ref || !lookup.sets.includes(ref.set)) throw new ODataError(400, '0x80060888', `${name}: ${JSON.stringify(value)} is not a reference to ${lookup.sets.join(' or ')}.`);
        if (!this.rows[ref.set].has(ref.id)) throw new ODataError(400, CODES[404], `${TABLES[ref.set].logical} With Id = ${ref.id} Does Not Exist`);
        changes[`_${bound}_value`] = ref.id;
      } else if (table.writable.includes(name)) {
        checkValue(table, name, value);
        changes[name] = typeof value === 'string' && table.columns[name] === 'guid' ? value.toLowerCase() : value;
      } else {
        throw new ODataError(400, '0x80060888', `The property '${name}' does not exist on type 'Microsoft.Dynamics.CRM.${table.logical}'.`);
      }
    }
    return changes;
  }

  /** Creates or changes a row: the environment's version goes up, and the row records when and by whom. */
  private put(set: string, id: string, changes: Row, by: string | undefined): string {
    const table = TABLES[set];
    const at = this.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    this.version += 1;
    let row = this.rows[set].get(id);
    if (!row) {
      row = { [table.key]: id, createdon: at, _createdby_value: by ?? null };
      if (set === 'opportunities') Object.assign(row, { statecode: 0, statuscode: 1, _ownerid_value: by ?? null, _transactioncurrencyid_value: this.currencyId('USD') });
      if (set === 'accounts') Object.assign(row, { statecode: 0, _ownerid_value: by ?? null });
      this.rows[set].set(id, row);
      this.deleted[set].delete(id);
    }
    Object.assign(row, changes, { [table.key]: id, versionnumber: this.version, modifiedon: at, _modifiedby_value: by ?? null });
    return id;
  }

  private remove(set: string, id: string): boolean {
    if (!this.rows[set].delete(id)) return false;
    this.version += 1;
    this.deleted[set].set(id, this.version);
    return true;
  }

  private shaped(table: TableDef, row: Row, select: string[] | undefined, prefs: Map<string, string>): Row {
    return shape(table, row, select, annotationsOf(prefs), (lookup, id) => {
      const target = table.lookups.find((l) => l.bind === lookup)?.sets.map((s) => ({ t: TABLES[s], row: this.rows[s].get(id) })).find((x) => x.row);
      return target ? { name: target.row![target.t.display] ?? null, logical: target.t.logical } : undefined;
    });
  }

  private applied(prefs: Map<string, string>, honoured: string[]): Record<string, string> {
    const applied = honoured.filter((p) => prefs.has(p)).map((p) => (prefs.get(p) ? `${p}=${p === 'odata.include-annotations' ? `"${prefs.get(p)}"` : prefs.get(p)}` : p));
    return applied.length ? { 'preference-applied': applied.join(',') } : {};
  }

  private missing(table: TableDef, id: string): ODataError {
    return new ODataError(404, CODES[404], `${table.logical} With Id = ${id} Does Not Exist`);
  }
}
