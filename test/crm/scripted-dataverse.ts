import { randomUUID } from 'node:crypto';
import type { DataverseAnswer, DataverseRequest } from '../../src/crm/dataverse/dataverse-client';
import type { DataverseReader } from '../../src/crm/dataverse/record-lookups';
import { formatted } from '../../src/crm/dataverse/opportunity-mapping';
import { CrmSendError } from '../../src/ports/crm-target.port';

/**
 * An in-process stand-in for the part of the Dataverse Web API the poll and the import read (the change tracking of
 * opportunities with next and delta links, system users and currencies by id), speaking through the client's own
 * `request` contract, with faults. For the poller's pure paths until FakeDataverse (test/support/fake-dataverse.ts,
 * HTTP, on its own branch) lands; the specs that need the wire use that one.
 */
export class ScriptedDataverse implements DataverseReader {
  private version = 1000;
  private readonly records = new Map<string, Record<string, unknown>>();
  private readonly users = new Map<string, { aadObjectId: string; fullname: string }>();
  private readonly currencies = new Map<string, string>();
  private readonly cursors = new Map<string, { rest: Array<Record<string, unknown>>; deltaToken?: number }>();
  private faults: Array<{ times: number; status: number; retryAfterMs?: number; code?: string }> = [];
  readonly requests: string[] = [];
  now = () => new Date('2026-11-26T09:00:00Z');

  constructor() {
    for (const iso of ['USD', 'EUR', 'GBP']) this.currencies.set(randomUUID(), iso);
  }

  currencyId(iso: string): string {
    return [...this.currencies].find(([, code]) => code === iso)![0];
  }

  addUser(u: { aadObjectId: string; fullname: string }): string {
    const id = randomUUID();
    this.users.set(id, u);
    return id;
  }

  createOpportunity(attrs: Record<string, unknown>, byUserId: string): string {
    const id = randomUUID();
    this.records.set(id, { opportunityid: id, statecode: 0, statuscode: 1 });
    this.editOpportunity(id, attrs, byUserId);
    return id;
  }

  /** `account` sets the parent account by name; `ownerUserId` the owner; `currency` an ISO code; the rest are columns. */
  editOpportunity(id: string, attrs: Record<string, unknown>, byUserId: string): void {
    const record = this.records.get(id)!;
    const { account, ownerUserId, currency, ...columns } = attrs as Record<string, unknown> & { account?: string; ownerUserId?: string; currency?: string };
    Object.assign(record, columns);
    if (account !== undefined) Object.assign(record, { _parentaccountid_value: randomUUID(), [formatted('_parentaccountid_value')]: account });
    if (ownerUserId !== undefined) Object.assign(record, { _ownerid_value: ownerUserId, [formatted('_ownerid_value')]: this.users.get(ownerUserId)!.fullname });
    if (currency !== undefined) record._transactioncurrencyid_value = this.currencyId(currency);
    this.version += 1;
    Object.assign(record, {
      versionnumber: this.version,
      modifiedon: this.now().toISOString(),
      _modifiedby_value: byUserId,
      [formatted('_modifiedby_value')]: this.users.get(byUserId)!.fullname,
    });
  }

  closeOpportunity(id: string, outcome: 'won' | 'lost', byUserId: string): void {
    this.editOpportunity(id, outcome === 'won' ? { statecode: 1, statuscode: 3 } : { statecode: 2, statuscode: 4, [formatted('statuscode')]: 'Canceled' }, byUserId);
  }

  opportunity(id: string): Record<string, unknown> | undefined {
    return this.records.get(id);
  }

  /** The next `times` requests fail with `status` (429 with a Retry-After). */
  fail(rule: { times: number; status: number; retryAfterMs?: number; code?: string }): void {
    this.faults.push({ ...rule });
  }

  async request<T>(method: string, path: string, request: DataverseRequest = {}): Promise<DataverseAnswer<T>> {
    this.requests.push(`${method} ${path}`);
    const fault = this.faults.find((f) => f.times > 0);
    if (fault) {
      fault.times -= 1;
      throw new CrmSendError(`Dataverse answered ${method} with ${fault.status}`, fault.status, fault.retryAfterMs, fault.code);
    }
    const by = /^(systemusers|transactioncurrencies)\(([^)]+)\)/.exec(path);
    if (by) {
      if (by[1] === 'systemusers') {
        const u = this.users.get(by[2]);
        return (u ? { status: 200, body: { systemuserid: by[2], azureactivedirectoryobjectid: u.aadObjectId, fullname: u.fullname } } : { status: 404, body: undefined }) as DataverseAnswer<T>;
      }
      const iso = this.currencies.get(by[2]);
      return (iso ? { status: 200, body: { isocurrencycode: iso } } : { status: 404, body: undefined }) as DataverseAnswer<T>;
    }
    const pageSize = Number(/odata\.maxpagesize=(\d+)/.exec((request.prefer ?? []).join(','))?.[1] ?? 5000);
    const tracking = (request.prefer ?? []).includes('odata.track-changes');
    const url = new URL(path, 'https://dv.example/api/data/v9.2/');
    let cursor: { rest: Array<Record<string, unknown>>; deltaToken?: number };
    const skip = url.searchParams.get('$skiptoken');
    if (skip) {
      cursor = this.cursors.get(skip)!;
    } else {
      const since = Number(url.searchParams.get('$deltatoken') ?? 0);
      const open = url.searchParams.get('$filter') === 'statecode eq 0';
      const rows = [...this.records.values()].filter((r) => (r.versionnumber as number) > since && (!open || r.statecode === 0)).sort((a, b) => (a.versionnumber as number) - (b.versionnumber as number));
      cursor = { rest: rows.map((r) => structuredClone(r)), deltaToken: tracking || since ? this.version : undefined };
    }
    const value = cursor.rest.slice(0, pageSize).map((r) => ({ '@odata.etag': `W/"${r.versionnumber as number}"`, ...r }));
    const rest = cursor.rest.slice(pageSize);
    const body: Record<string, unknown> = { value };
    if (rest.length > 0) {
      const token = randomUUID();
      this.cursors.set(token, { rest, deltaToken: cursor.deltaToken });
      body['@odata.nextLink'] = `https://dv.example/api/data/v9.2/opportunities?$skiptoken=${token}`;
    } else if (cursor.deltaToken !== undefined) {
      body['@odata.deltaLink'] = `https://dv.example/api/data/v9.2/opportunities?$deltatoken=${cursor.deltaToken}`;
    }
    return { status: 200, body: body as T };
  }
}
