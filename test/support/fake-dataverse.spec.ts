import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ClientSecretCredential } from '@azure/identity';
import { FakeDataverse } from './fake-dataverse';

const FORMATTED = '@OData.Community.Display.V1.FormattedValue';
const ANNOTATIONS = 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"';
const MISSING = '00000000-0000-0000-0000-00000000dead';

interface Answer { status: number; headers: Headers; body: any }

/**
 * The local Dataverse speaks the Web API as the Dynamics 365 connector relies on it (issue 19, dv-common): each rule
 * below is asked with plain fetch, as any OData client would, with a token from its own token endpoint.
 */
describe('local Dataverse (fake-dataverse)', () => {
  let clock: Date;
  let dv: FakeDataverse;
  let token: string;

  beforeEach(async () => {
    clock = new Date('2026-03-02T09:00:00Z');
    dv = await FakeDataverse.start({ pageSize: 2, now: () => clock });
    token = dv.token('dealdesk-app');
  });
  afterEach(() => dv.close());

  const call = async (method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {}): Promise<Answer> => {
    const bearer = options.token === undefined ? token : options.token;
    const res = await fetch(path.startsWith('http') ? path : `${dv.url}/api/data/v9.2/${path}`, {
      method,
      headers: { accept: 'application/json', 'content-type': 'application/json', prefer: ANNOTATIONS, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...options.headers },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  const withPrefer = (...prefs: string[]) => ({ prefer: [...prefs, ANNOTATIONS].join(',') });
  const pagesOf = async (first: Answer): Promise<Answer[]> => {
    const pages = [first];
    while (pages[pages.length - 1].body['@odata.nextLink']) pages.push(await call('GET', pages[pages.length - 1].body['@odata.nextLink']));
    return pages;
  };

  describe('tokens and permissions', () => {
    /** As DealDesk's client secret gets tokens; in this process the test CA is trusted through tlsOptions (a child process: NODE_EXTRA_CA_CERTS). */
    const credential = () => new ClientSecretCredential('contoso-tenant', 'dealdesk-app', 'any-secret', {
      authorityHost: dv.authorityHost, disableInstanceDiscovery: true, tlsOptions: { ca: readFileSync(dv.caFile, 'utf8') },
    });

    it('@azure/identity gets a token from its token endpoint (authorityHost, no instance discovery), and the Web API takes it', async () => {
      const issued = await credential().getToken(`${dv.url}/.default`);
      assert.ok(issued?.token);
      assert.equal((await call('GET', 'WhoAmI', { token: issued.token })).body.UserId, dv.appUserId('dealdesk-app'));
    });

    it('answers 401 0x80072560 without a token, with a token for another resource, and with a token issued before expireTokens', async () => {
      const forGraph = (await credential().getToken('https://graph.microsoft.com/.default'))!.token;
      for (const bearer of [null, 'made-up', forGraph]) {
        const answer = await call('GET', 'opportunities', { token: bearer });
        assert.equal(answer.status, 401, String(bearer));
        assert.equal(answer.body.error.code, '0x80072560');
      }
      assert.equal((await call('GET', 'opportunities')).status, 200);
      dv.expireTokens();
      assert.equal((await call('GET', 'opportunities')).status, 401);
      assert.equal((await call('GET', 'opportunities', { token: dv.token('dealdesk-app') })).status, 200, 'a token issued afterwards works');
    });

    it('after expireTokens a credential\'s cached token is refused; asked again with claims (which skips its cache) it gets one that works', async () => {
      const scope = `${dv.url}/.default`;
      const dealdesk = credential();
      const first = (await dealdesk.getToken(scope))!.token;
      assert.equal((await call('GET', 'opportunities', { token: first })).status, 200);
      dv.expireTokens();
      const cached = (await dealdesk.getToken(scope))!.token;
      assert.equal(cached, first, 'the credential caches it');
      const refused = await call('GET', 'opportunities', { token: cached });
      assert.equal(refused.status, 401);
      assert.match(refused.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token", authorization_uri=/);
      const claims = JSON.stringify({ access_token: { nbf: { essential: true, value: String(Math.floor(Date.now() / 1000)) } } });
      const fresh = (await dealdesk.getToken(scope, { claims }))!.token;
      assert.notEqual(fresh, first);
      assert.equal((await call('GET', 'opportunities', { token: fresh })).status, 200);
    });

    it('answers 403 0x80040220 on an entity set whose privilege was revoked, and only there', async () => {
      dv.revokePermission('accounts');
      const refused = await call('POST', 'accounts', { body: { name: 'Contoso' } });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, '0x80040220');
      assert.equal((await call('GET', 'opportunities')).status, 200);
      assert.equal(dv.accounts().length, 0);
    });
  });

  describe('reads', () => {
    it('reads an opportunity with its ETag (header and @odata.etag) and its lookups with their formatted values; 404 when missing; 304 when unchanged', async () => {
      const alex = dv.addUser({ aadObjectId: '0000000a-0000-0000-0000-000000000001', fullname: 'Alex Wilber' });
      const id = dv.createOpportunity({ name: 'Fabrikam rollout', 'parentaccountid@odata.bind': `/accounts(${dv.addAccount('Fabrikam')})`, _transactioncurrencyid_value: dv.currencyId('EUR'), estimatedvalue: 120000 }, alex);
      const answer = await call('GET', `opportunities(${id})?$select=name,_parentaccountid_value,_ownerid_value,_transactioncurrencyid_value,_modifiedby_value,estimatedvalue`);
      assert.equal(answer.status, 200);
      const version = dv.opportunity(id)!.versionnumber;
      assert.equal(answer.headers.get('etag'), `W/"${version}"`);
      assert.equal(answer.body['@odata.etag'], `W/"${version}"`);
      assert.equal(answer.body.name, 'Fabrikam rollout');
      assert.equal(answer.body.estimatedvalue, 120000);
      assert.equal(answer.body[`_parentaccountid_value${FORMATTED}`], 'Fabrikam');
      assert.equal(answer.body[`_ownerid_value${FORMATTED}`], 'Alex Wilber');
      assert.equal(answer.body[`_modifiedby_value${FORMATTED}`], 'Alex Wilber');
      assert.equal(answer.body[`_transactioncurrencyid_value${FORMATTED}`], 'Euro');
      assert.equal(answer.body.stepname, undefined, 'only the selected columns');
      assert.equal((await call('GET', `opportunities(${MISSING})`)).status, 404);
      assert.equal((await call('GET', `opportunities(${id})`, { headers: { 'if-none-match': `W/"${version}"` } })).status, 304);
      assert.equal((await call('GET', `opportunities(${id})?$select=nosuchcolumn`)).status, 400);
    });

    it('pages a query with @odata.nextLink ($skiptoken), honours $filter and $top, and echoes Preference-Applied', async () => {
      const ids = ['A', 'B', 'C', 'D', 'E'].map((n) => dv.createOpportunity({ name: `Deal ${n}` }));
      dv.closeOpportunity(ids[4], 'lost');
      const first = await call('GET', 'opportunities?$select=name&$filter=statecode eq 0', { headers: withPrefer('odata.maxpagesize=50') });
      assert.equal(first.headers.get('preference-applied'), `odata.include-annotations="OData.Community.Display.V1.FormattedValue",odata.maxpagesize=50`);
      const pages = await pagesOf(first);
      assert.deepEqual(pages.map((p) => p.body.value.length), [2, 2], 'pageSize 2 beats maxpagesize 50; the lost one is filtered out');
      assert.deepEqual(pages.flatMap((p) => p.body.value.map((r: any) => r.opportunityid)).sort(), ids.slice(0, 4).sort());
      assert.match(first.body['@odata.nextLink'], /\/api\/data\/v9\.2\/opportunities\?.*\$skiptoken=/);
      assert.equal(pages[1].body['@odata.deltaLink'], undefined, 'no delta link without track-changes');
      assert.equal((await call('GET', `opportunities?$filter=name eq 'deal c' and statecode eq 0`)).body.value[0].opportunityid, ids[2], 'strings compare case-insensitively');
      const top = await call('GET', 'opportunities?$top=1');
      assert.equal(top.body.value.length, 1);
      assert.equal(top.body['@odata.nextLink'], undefined);
      assert.equal((await call('GET', 'opportunities?$filter=contains(name,\'x\')')).status, 400, 'an unsupported filter is refused, not ignored');
      assert.equal((await call('GET', 'opportunities?$orderby=name')).status, 400, 'so is an unsupported query option');
    });

    it('finds accounts by name, system users by Entra object id, currencies by ISO code and by id; creates an account', async () => {
      const aad = '0000000a-0000-0000-0000-000000000002';
      const megan = dv.addUser({ aadObjectId: aad, fullname: 'Megan Bowen', email: 'megan@contoso.com' });
      const users = await call('GET', `systemusers?$filter=azureactivedirectoryobjectid eq ${aad}&$select=systemuserid,fullname`);
      assert.deepEqual(users.body.value.map((u: any) => [u.systemuserid, u.fullname]), [[megan, 'Megan Bowen']]);
      const eur = await call('GET', `transactioncurrencies?$filter=isocurrencycode eq 'EUR'&$select=transactioncurrencyid`);
      assert.equal(eur.body.value[0].transactioncurrencyid, dv.currencyId('EUR'));
      assert.equal((await call('GET', `transactioncurrencies(${dv.currencyId('JPY')})`)).body.isocurrencycode, 'JPY');
      const created = await call('POST', 'accounts', { body: { name: "O'Neil & Sons" } });
      assert.equal(created.status, 204);
      const accountId = /accounts\(([0-9a-f-]{36})\)$/.exec(created.headers.get('odata-entityid') ?? '')?.[1];
      assert.ok(accountId);
      assert.deepEqual(dv.accounts().map((a) => a.accountid), [accountId]);
      const byName = await call('GET', `accounts?$filter=${encodeURIComponent("name eq 'O''Neil & Sons'")}&$select=accountid,name`);
      assert.deepEqual(byName.body.value.map((a: any) => a.accountid), [accountId]);
    });
  });

  describe('writes', () => {
    it('PATCH with If-None-Match: * creates only (412 when it exists); If-Match: * updates only (404 when missing)', async () => {
      const id = '5b7e0c1e-0000-4000-8000-000000000001';
      const created = await call('PATCH', `opportunities(${id})`, { body: { name: 'New deal', closeprobability: 20 }, headers: { 'if-none-match': '*' } });
      assert.equal(created.status, 204);
      assert.equal(created.headers.get('etag'), `W/"${dv.opportunity(id)!.versionnumber}"`);
      assert.equal(created.headers.get('odata-entityid'), `${dv.url}/api/data/v9.2/opportunities(${id})`);
      assert.equal(dv.opportunity(id)!._modifiedby_value, dv.appUserId('dealdesk-app'), 'a Web API write is the application user\'s');
      const again = await call('PATCH', `opportunities(${id})`, { body: { name: 'Again' }, headers: { 'if-none-match': '*' } });
      assert.equal(again.status, 412);
      assert.equal(dv.opportunity(id)!.name, 'New deal');
      assert.equal((await call('PATCH', `opportunities(${MISSING})`, { body: { name: 'x' }, headers: { 'if-match': '*' } })).status, 404);
      assert.equal(dv.opportunity(MISSING), undefined);
      assert.equal((await call('PATCH', `opportunities(${id})`, { body: { name: 'Renamed' }, headers: { 'if-match': '*' } })).status, 204);
      assert.equal(dv.opportunity(id)!.name, 'Renamed');
    });

    it('PATCH with If-Match: W/"n" is 412 unless n is current; each change bumps versionnumber and modifiedon; return=representation gives the record', async () => {
      const id = dv.createOpportunity({ name: 'Deal' });
      const stale = `W/"${dv.opportunity(id)!.versionnumber}"`;
      clock = new Date('2026-03-02T10:15:00Z');
      dv.editOpportunity(id, { stepname: 'Demo' });
      const refused = await call('PATCH', `opportunities(${id})`, { body: { name: 'Mine' }, headers: { 'if-match': stale } });
      assert.equal(refused.status, 412);
      assert.equal(refused.body.error.code, '0x80060882');
      const current = `W/"${dv.opportunity(id)!.versionnumber}"`;
      clock = new Date('2026-03-02T11:00:00Z');
      const done = await call('PATCH', `opportunities(${id})`, { body: { name: 'Mine' }, headers: { 'if-match': current, ...withPrefer('return=representation') } });
      assert.equal(done.status, 200);
      assert.equal(done.body.name, 'Mine');
      assert.equal(done.body.stepname, 'Demo');
      assert.equal(done.body.modifiedon, '2026-03-02T11:00:00Z');
      assert.notEqual(done.headers.get('etag'), current);
      assert.equal(done.headers.get('etag'), done.body['@odata.etag']);
      assert.ok(Number(dv.opportunity(id)!.versionnumber) > Number(/\d+/.exec(current)![0]));
    });

    it('POST creates (204 + OData-EntityId); an opportunityid already used is 412 0x80040237', async () => {
      const created = await call('POST', 'opportunities', { body: { name: 'Posted', estimatedclosedate: '2026-06-30' } });
      assert.equal(created.status, 204);
      const id = /opportunities\(([0-9a-f-]{36})\)$/.exec(created.headers.get('odata-entityid') ?? '')![1];
      assert.equal(dv.opportunity(id)!.estimatedclosedate, '2026-06-30');
      assert.equal(dv.opportunity(id)!.statecode, 0);
      const duplicate = await call('POST', 'opportunities', { body: { opportunityid: id, name: 'Twice' } });
      assert.equal(duplicate.status, 412);
      assert.equal(duplicate.body.error.code, '0x80040237');
      assert.equal(dv.opportunities().length, 1);
    });

    it('sets lookups with @odata.bind (accounts, systemusers, transactioncurrencies); an unknown target, a wrong set or an unknown property is a 400', async () => {
      const account = dv.addAccount('Contoso');
      const owner = dv.addUser({ aadObjectId: '0000000a-0000-0000-0000-000000000003', fullname: 'Adele Vance' });
      const id = dv.createOpportunity({ name: 'Deal' });
      const bound = await call('PATCH', `opportunities(${id})`, {
        body: { 'parentaccountid@odata.bind': `/accounts(${account})`, 'ownerid@odata.bind': `/systemusers(${owner})`, 'transactioncurrencyid@odata.bind': `/transactioncurrencies(${dv.currencyId('GBP')})` },
      });
      assert.equal(bound.status, 204);
      const stored = dv.opportunity(id)!;
      assert.deepEqual([stored._parentaccountid_value, stored._ownerid_value, stored._transactioncurrencyid_value], [account, owner, dv.currencyId('GBP')]);
      for (const body of [{ 'parentaccountid@odata.bind': `/accounts(${MISSING})` }, { 'parentaccountid@odata.bind': `/systemusers(${owner})` }, { parentaccountid: account }, { estimatedvalue: 'a lot' }]) {
        assert.equal((await call('PATCH', `opportunities(${id})`, { body })).status, 400, JSON.stringify(body));
      }
      assert.equal(dv.opportunity(id)!.versionnumber, stored.versionnumber, 'a refused write changes nothing');
    });
  });

  describe('closing', () => {
    it('WinOpportunity and LoseOpportunity close it (statecode 1/2, statuscode as given); a closed one refuses them', async () => {
      const won = dv.createOpportunity({ name: 'Won deal' });
      const lost = dv.createOpportunity({ name: 'Lost deal' });
      const close = (action: string, id: string, status: number) =>
        call('POST', action, { body: { Status: status, OpportunityClose: { 'opportunityid@odata.bind': `/opportunities(${id})`, subject: 'Closed in DealDesk', actualrevenue: 5000, actualend: '2026-03-01' } } });
      assert.equal((await close('WinOpportunity', won, 3)).status, 204);
      assert.equal((await close('LoseOpportunity', lost, 5)).status, 204);
      assert.deepEqual([dv.opportunity(won)!.statecode, dv.opportunity(won)!.statuscode, dv.opportunity(won)!.actualvalue, dv.opportunity(won)!.actualclosedate], [1, 3, 5000, '2026-03-01']);
      assert.deepEqual([dv.opportunity(lost)!.statecode, dv.opportunity(lost)!.statuscode], [2, 5]);
      assert.deepEqual(dv.closes.map((c) => c.subject), ['Closed in DealDesk', 'Closed in DealDesk']);
      assert.equal((await close('WinOpportunity', won, 3)).status, 400);
      assert.equal((await close('LoseOpportunity', dv.createOpportunity({ name: 'x' }), 3)).status, 400, 'Won is not a lost status');
      assert.equal((await close('WinOpportunity', MISSING, 3)).status, 404);
    });

    it('a closed opportunity is read-only but for the reopen ({statecode: 0, statuscode: 2}); an open one is not closed by PATCH', async () => {
      const id = dv.createOpportunity({ name: 'Deal' });
      const closeByPatch = await call('PATCH', `opportunities(${id})`, { body: { statecode: 1, statuscode: 3 } });
      assert.equal(closeByPatch.status, 400);
      dv.closeOpportunity(id, 'won');
      const edit = await call('PATCH', `opportunities(${id})`, { body: { name: 'Edited' }, headers: { 'if-match': '*' } });
      assert.equal(edit.status, 400);
      assert.equal(edit.body.error.code, '0x80040203');
      assert.equal(dv.opportunity(id)!.name, 'Deal');
      assert.throws(() => dv.editOpportunity(id, { name: 'Edited' }), /closed/);
      assert.equal((await call('PATCH', `opportunities(${id})`, { body: { statecode: 0, statuscode: 2 } })).status, 204);
      assert.deepEqual([dv.opportunity(id)!.statecode, dv.opportunity(id)!.statuscode], [0, 2]);
      assert.equal((await call('PATCH', `opportunities(${id})`, { body: { name: 'Edited' } })).status, 204);
    });
  });

  describe('change tracking', () => {
    it('the last page of a track-changes query carries a delta link; the delta link brings what changed since (whole records, deletes too), paged, and a new delta link', async () => {
      const [a, b, c] = ['A', 'B', 'C'].map((n) => dv.createOpportunity({ name: `Deal ${n}`, stepname: 'Start' }));
      const pages = await pagesOf(await call('GET', 'opportunities?$select=name,stepname,statecode&$filter=statecode eq 0', { headers: withPrefer('odata.track-changes') }));
      assert.deepEqual(pages.map((p) => p.body.value.length), [2, 1]);
      assert.match(pages[0].headers.get('preference-applied') ?? '', /odata\.track-changes/);
      assert.equal(pages[0].body['@odata.deltaLink'], undefined, 'only the last page carries it');
      const deltaLink: string = pages[1].body['@odata.deltaLink'];
      assert.match(deltaLink, /\/api\/data\/v9\.2\/opportunities\?\$select=name,stepname,statecode&\$deltatoken=\d+$/);

      assert.deepEqual((await call('GET', deltaLink)).body.value, [], 'nothing changed yet');
      const bob = dv.addUser({ aadObjectId: '0000000a-0000-0000-0000-000000000004', fullname: 'Bob' });
      dv.editOpportunity(a, { stepname: 'Proposal sent' }, bob);
      dv.closeOpportunity(b, 'won', bob);
      dv.deleteOpportunity(c);
      const d = dv.createOpportunity({ name: 'Deal D' });
      const delta = await pagesOf(await call('GET', deltaLink));
      assert.deepEqual(delta.map((p) => p.body.value.length), [2, 2], 'paged like any query');
      const seen = delta.flatMap((p) => p.body.value);
      const byId = new Map(seen.map((r: any) => [r.opportunityid ?? r.id, r]));
      assert.equal(byId.get(a).stepname, 'Proposal sent');
      assert.equal(byId.get(a).name, 'Deal A', 'whole records, as selected');
      assert.equal(byId.get(b).statecode, 1, 'a record closed since is reported though the first query filtered on open ones');
      assert.equal(byId.get(d).name, 'Deal D');
      assert.deepEqual(byId.get(c), { '@odata.context': `${dv.url}/api/data/v9.2/$metadata#opportunities/$deletedEntity`, id: c, reason: 'deleted' });
      const next: string = delta[delta.length - 1].body['@odata.deltaLink'];
      assert.notEqual(next, deltaLink);
      assert.deepEqual((await call('GET', next)).body.value, []);
      assert.deepEqual((await pagesOf(await call('GET', deltaLink))).flatMap((p) => p.body.value).length, 4, 'an old delta link still answers from its own point');
    });

    it('a change made while a track-changes query is being paged is not lost: the delta link is as of the first page', async () => {
      const ids = ['A', 'B', 'C'].map((n) => dv.createOpportunity({ name: `Deal ${n}` }));
      const first = await call('GET', 'opportunities?$select=name', { headers: withPrefer('odata.track-changes') });
      const early = first.body.value[0].opportunityid;
      dv.editOpportunity(early, { name: 'Renamed while paging' });
      const pages = await pagesOf(first);
      const delta = await call('GET', pages[pages.length - 1].body['@odata.deltaLink']);
      assert.deepEqual(delta.body.value.map((r: any) => [r.opportunityid, r.name]), [[early, 'Renamed while paging']]);
      assert.equal(ids.length, 3);
    });
  });

  describe('faults and service protection', () => {
    it('fail() answers the next matching requests (method and path) with the status, 429 with Retry-After and 0x80072322', async () => {
      const id = dv.createOpportunity({ name: 'Deal' });
      dv.fail({ times: 2, status: 429, retryAfterSeconds: 7, method: 'PATCH', path: /opportunities\(/ });
      assert.equal((await call('GET', `opportunities(${id})`)).status, 200, 'another method is not matched');
      const throttled = await call('PATCH', `opportunities(${id})`, { body: { name: 'x' } });
      assert.equal(throttled.status, 429);
      assert.equal(throttled.headers.get('retry-after'), '7');
      assert.equal(throttled.body.error.code, '0x80072322');
      assert.equal((await call('PATCH', `opportunities(${id})`, { body: { name: 'x' } })).status, 429);
      assert.equal((await call('PATCH', `opportunities(${id})`, { body: { name: 'x' } })).status, 204, 'only `times` times');
      dv.fail({ times: 1, status: 503, path: /WinOpportunity/ });
      assert.equal((await call('POST', 'WinOpportunity', { body: {} })).status, 503);
      assert.deepEqual(dv.requests.slice(-1).map((r) => [r.method, r.path, r.status]), [['POST', '/api/data/v9.2/WinOpportunity', 503]]);
    });

    it('a fault may come late, and after the request was carried out: the write happened though its answer was lost', async () => {
      const id = dv.createOpportunity({ name: 'Deal' });
      dv.fail({ times: 1, status: 504, method: 'PATCH', carriedOut: true, delayMs: 2000 });
      const gaveUp = await fetch(`${dv.url}/api/data/v9.2/opportunities(${id})`, {
        method: 'PATCH', signal: AbortSignal.timeout(1000), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Written' }),
      }).then(() => 'answered', (e: Error) => e.name);
      assert.equal(gaveUp, 'TimeoutError');
      assert.equal(dv.opportunity(id)!.name, 'Written');
      dv.fail({ times: 1, status: 504, method: 'PATCH', carriedOut: true });
      assert.equal((await call('PATCH', `opportunities(${id})`, { body: { name: 'Written again' } })).status, 504);
      assert.equal(dv.opportunity(id)!.name, 'Written again');
      dv.fail({ times: 1, status: 503, method: 'PATCH' });
      assert.equal((await call('PATCH', `opportunities(${id})`, { body: { name: 'Not written' } })).status, 503);
      assert.equal(dv.opportunity(id)!.name, 'Written again', 'an ordinary fault answers before anything is done');
    });

    it('slow() answers the next matching requests as usual, only late', async () => {
      const id = dv.createOpportunity({ name: 'Deal' });
      dv.slow({ times: 1, delayMs: 600, method: 'GET', path: /opportunities\(/ });
      const started = Date.now();
      const read = await call('GET', `opportunities(${id})`);
      assert.equal(read.status, 200);
      assert.equal(read.body.name, 'Deal');
      assert.ok(Date.now() - started >= 550, `answered after ${Date.now() - started} ms`);
      const again = Date.now();
      assert.equal((await call('GET', `opportunities(${id})`)).status, 200);
      assert.ok(Date.now() - again < 550, 'only `times` times');
    });

    it('limitRequests counts per client within the window: past the limit a 429 with the seconds until the window frees a request', async () => {
      dv.limitRequests(3, 300_000);
      for (let i = 0; i < 3; i++) assert.equal((await call('GET', 'opportunities')).status, 200);
      const throttled = await call('GET', 'opportunities');
      assert.equal(throttled.status, 429);
      assert.equal(throttled.body.error.code, '0x80072322');
      assert.equal(throttled.headers.get('retry-after'), '300');
      assert.equal((await call('GET', 'opportunities', { token: dv.token('another-app') })).status, 200, 'another client has its own count');
      clock = new Date(clock.getTime() + 120_000);
      assert.equal((await call('GET', 'opportunities')).headers.get('retry-after'), '180');
      clock = new Date(clock.getTime() + 180_001);
      assert.equal((await call('GET', 'opportunities')).status, 200, 'the window has moved on');
    });
  });
});
