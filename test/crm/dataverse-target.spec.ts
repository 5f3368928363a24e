import assert from 'node:assert/strict';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { loadConfig } from '../../src/config';
import { type DataverseTarget, dataverseTarget, MERGE_ATTEMPTS } from '../../src/crm/dataverse/dataverse-target';
import { opportunityIdOf } from '../../src/crm/dataverse/opportunity-id';
import { metrics } from '../../src/metrics/metrics';
import { CrmSendError, type CrmDealView, type CrmEventChange, type CrmLink, type OutboundEvent, type SendResult } from '../../src/ports/crm-target.port';
import { FakeDataverse } from '../support/fake-dataverse';
import { MemoryLogger } from '../support/memory-logger';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ALEX = { id: '4b1e5f0a-2c3d-4e5f-8a9b-0c1d2e3f4a5b', name: 'Alex Wilber' };

/**
 * Issue 19 §2, DealDesk → Dynamics 365: the real target (built by its factory from the configuration, with its token
 * function, lookups and Web API client) sends outbound events to the local Dataverse, and the test reads what the
 * CRM then holds and which requests it saw. The clock of the fake is the test's, so whose change is later is known.
 */
describe('Dynamics 365 target: deals become opportunities in Dataverse (DataverseTarget against the local Dataverse)', () => {
  let fake: FakeDataverse;
  let clock = new Date('2026-12-01T10:00:00.000Z');
  let credentials = 0;
  let logger: MemoryLogger;
  let sequence = 0;

  before(async () => {
    fake = await FakeDataverse.start({ now: () => clock });
  });
  after(async () => fake?.close());
  beforeEach(() => {
    logger = new MemoryLogger();
    credentials = 0;
  });

  /** A credential as MSAL's behaves: its token is fetched once and kept until the credential is replaced. */
  const credential = (): TokenCredential => {
    credentials += 1;
    let kept: AccessToken | undefined;
    return { getToken: async () => (kept ??= { token: fake.token(), expiresOnTimestamp: Date.now() + 3_600_000 }) };
  };

  const targetWith = (env: Record<string, string> = {}): DataverseTarget =>
    dataverseTarget(
      loadConfig({
        MicrosoftAppId: 'dealdesk-tests', MicrosoftAppTenantId: TENANT, MicrosoftAppPassword: 'secret',
        COSMOS_ENDPOINT: 'https://dd.documents.azure.com:443/', AZURE_CLIENT_ID: 'identity', HOST: '0.0.0.0',
        DATAVERSE_URL: fake.url, DATAVERSE_TIMEOUT_MS: '5000', ...env,
      }),
      { logger, credential },
    );

  let dealNumber = 0;
  /** A new deal of its own (its own account, so tests do not share records). */
  const newDeal = (over: Partial<CrmDealView> = {}): CrmDealView => {
    dealNumber += 1;
    return {
      id: `D-${1000 + dealNumber}`, tenantId: TENANT, title: `Contoso data platform ${dealNumber}`, account: 'Contoso', owner: ALEX,
      stage: 'Solution', value: { amount: 120000, currency: 'EUR' }, closeDate: '2027-03-31', probability: 40, nextStep: 'Workshop with the CIO',
      evidence: {}, serviceLines: ['Data'], rev: 1, ...over,
    };
  };
  const eventOf = (deal: CrmDealView, changes: CrmEventChange[], at = clock.toISOString()): OutboundEvent => {
    sequence += 1;
    return { eventId: `${deal.id}.S${sequence}`, tenantId: TENANT, deal, sequence, changes, actor: ALEX, at };
  };
  const later = (minutes: number) => {
    clock = new Date(clock.getTime() + minutes * 60_000);
    return clock.toISOString();
  };
  const signal = () => AbortSignal.timeout(10_000);
  const requestsSince = (mark: number) => fake.requests.slice(mark).map((r) => `${r.method} ${r.path.replace(/\?.*$/, '')} ${r.status}`);
  const record = (link: CrmLink | undefined) => fake.opportunity(link!.recordId)!;

  let accountId: string;
  let alexUserId: string;
  before(() => {
    accountId = fake.addAccount('Contoso');
    alexUserId = fake.addUser({ aadObjectId: ALEX.id, fullname: 'Alex Wilber' });
  });

  /** Sends the new deal's first event; the link the dispatcher would keep. */
  const created = async (target: DataverseTarget, deal: CrmDealView): Promise<CrmLink> => (await target.send(eventOf(deal, [{ kind: 'created' }]), undefined, signal())).link!;

  it('a new deal becomes an opportunity under its derived id, with every mapped field and its lookups bound', async () => {
    const target = targetWith();
    const deal = newDeal();
    const mark = fake.requests.length;
    const result = await target.send(eventOf(deal, [{ kind: 'created' }]), undefined, signal());
    const id = opportunityIdOf(TENANT, deal.id);
    assert.equal(result.link?.recordId, id);
    const stored = fake.opportunity(id)!;
    assert.equal(result.link?.etag, `W/"${String(stored.versionnumber)}"`, 'the link carries the version just written');
    assert.deepEqual(
      { name: stored.name, account: stored._parentaccountid_value, value: stored.estimatedvalue, currency: stored._transactioncurrencyid_value, closeDate: stored.estimatedclosedate, probability: stored.closeprobability, stepname: stored.stepname, salesstage: stored.salesstage, owner: stored._ownerid_value, state: stored.statecode },
      { name: deal.title, account: accountId, value: 120000, currency: fake.currencyId('EUR'), closeDate: '2027-03-31', probability: 40, stepname: 'Workshop with the CIO', salesstage: 1, owner: alexUserId, state: 0 },
    );
    const creates = fake.requests.slice(mark).filter((r) => r.method === 'PATCH');
    assert.equal(creates.length, 1);
    assert.equal(creates[0].headers['if-none-match'], '*', 'create only: a repeat cannot overwrite');
    assert.equal(result.conflicts, undefined);
  });

  it('the next event updates it conditionally on the version DealDesk last saw (If-Match), only the fields DealDesk may write', async () => {
    const target = targetWith();
    const deal = newDeal();
    const link = await created(target, deal);
    later(1);
    const mark = fake.requests.length;
    const changed = { ...deal, value: { amount: 135000, currency: 'EUR' as const }, nextStep: 'Send the proposal', rev: 2 };
    const result = await target.send(eventOf(changed, [{ kind: 'field', field: 'value', from: '120000', to: '135000' }, { kind: 'field', field: 'nextStep', from: deal.nextStep, to: 'Send the proposal' }]), link, signal());
    assert.deepEqual(requestsSince(mark), [`PATCH /api/data/v9.2/opportunities(${link.recordId}) 204`], 'one conditional write, no read');
    const patch = fake.requests[mark];
    assert.equal(patch.headers['if-match'], link.etag);
    assert.ok(!Object.keys(patch.body as object).some((k) => k.startsWith('ownerid') || k.startsWith('parentaccountid')), 'the owner and the account are the CRM\'s (default ownership)');
    assert.equal(record(link).estimatedvalue, 135000);
    assert.equal(record(link).stepname, 'Send the proposal');
    assert.notEqual(result.link?.etag, link.etag);
    assert.equal(result.link?.etag, `W/"${String(record(link).versionnumber)}"`);
  });

  it('changed in the CRM meanwhile: 412, read, merged field by field (conflicts returned with both values), written again', async () => {
    const target = targetWith();
    const deal = newDeal();
    const link = await created(target, deal);
    // The SE changes the value and the next step in Teams at 10:05; sales ops change the value, the probability and the sales stage in Dynamics at 10:10.
    const seAt = later(5);
    later(5);
    fake.editOpportunity(link.recordId, { estimatedvalue: 150000, closeprobability: 70, salesstage: 2 });
    const crmAt = String(record(link).modifiedon);
    const changed = { ...deal, value: { amount: 135000, currency: 'EUR' as const }, nextStep: 'Send the proposal', rev: 2 };
    const mark = fake.requests.length;
    const result = await target.send(eventOf(changed, [{ kind: 'field', field: 'value', from: '120000', to: '135000' }, { kind: 'field', field: 'nextStep', from: deal.nextStep, to: 'Send the proposal' }], seAt), link, signal());
    assert.deepEqual(requestsSince(mark).map((r) => r.replace(/\(.*\)/, '(…)')), ['PATCH /api/data/v9.2/opportunities(…) 412', 'GET /api/data/v9.2/opportunities(…) 200', 'PATCH /api/data/v9.2/opportunities(…) 204']);
    assert.deepEqual(
      [...(result.conflicts ?? [])].sort((a, b) => a.field.localeCompare(b.field)),
      [
        { field: 'stage', dealdesk: 'Solution', crm: 'Propose', kept: 'dealdesk', crmAt },
        { field: 'value', dealdesk: '135000', crm: '150000', kept: 'crm', crmAt },
      ],
    );
    const after = record(link);
    assert.equal(after.estimatedvalue, 150000, 'value: last writer wins, and the CRM wrote last');
    assert.equal(after.stepname, 'Send the proposal', 'next step: only DealDesk changed it');
    assert.equal(after.closeprobability, 70, 'probability: only the CRM changed it; it stands');
    assert.equal(after.salesstage, 1, 'stage: DealDesk masters it');
    assert.equal(result.link?.etag, undefined, 'the record keeps CRM values the deal lacks: no ETag, so the change poll brings them in');
  });

  it('DealDesk\'s later change wins a last-writer-wins field; a record that keeps changing ends in a 412 for the dispatcher', async () => {
    const target = targetWith();
    const deal = newDeal();
    const link = await created(target, deal);
    later(1);
    fake.editOpportunity(link.recordId, { estimatedvalue: 150000 });
    const crmAt = String(record(link).modifiedon);
    const seAt = later(1);
    const changed = { ...deal, value: { amount: 135000, currency: 'EUR' as const }, rev: 2 };
    const result = await target.send(eventOf(changed, [{ kind: 'field', field: 'value', from: '120000', to: '135000' }], seAt), link, signal());
    assert.deepEqual(result.conflicts, [{ field: 'value', dealdesk: '135000', crm: '150000', kept: 'dealdesk', crmAt }]);
    assert.equal(record(link).estimatedvalue, 135000);

    fake.fail({ times: MERGE_ATTEMPTS, status: 412, method: 'PATCH' });
    const again = { ...changed, probability: 50, rev: 3 };
    await assert.rejects(target.send(eventOf(again, [{ kind: 'field', field: 'probability', from: '40', to: '50' }]), result.link, signal()), (e: unknown) => e instanceof CrmSendError && e.status === 412);
  });

  it('Won: the fields first, then WinOpportunity with the value as actual revenue; the same event again writes nothing more', async () => {
    const target = targetWith();
    const deal = newDeal();
    const link = await created(target, deal);
    later(1);
    const won = { ...deal, stage: 'Close', outcome: 'Won' as const, closeReason: 'Best delivery plan', value: { amount: 140000, currency: 'EUR' as const }, closeDate: '2026-12-01', rev: 2 };
    const event = eventOf(won, [{ kind: 'stage', from: 'Proof', to: 'Close', outcome: 'Won' }, { kind: 'field', field: 'value', from: '120000', to: '140000' }]);
    const mark = fake.requests.length;
    const result = await target.send(event, link, signal());
    assert.deepEqual(requestsSince(mark).map((r) => r.replace(/\(.*\)/, '(…)')), ['GET /api/data/v9.2/opportunities(…) 200', 'PATCH /api/data/v9.2/opportunities(…) 204', 'POST /api/data/v9.2/WinOpportunity 204', 'GET /api/data/v9.2/opportunities(…) 200']);
    const after = record(link);
    assert.deepEqual({ state: after.statecode, status: after.statuscode, value: after.estimatedvalue, salesstage: after.salesstage }, { state: 1, status: 3, value: 140000, salesstage: 3 });
    const close = fake.closes.find((c) => c.opportunityid === link.recordId)!;
    assert.deepEqual({ subject: close.subject, revenue: close.actualrevenue, end: close.actualend }, { subject: 'Best delivery plan', revenue: 140000, end: '2026-12-01' });
    assert.equal(result.link?.etag, `W/"${String(after.versionnumber)}"`);

    const replay = fake.requests.length;
    await target.send(event, link, signal());
    assert.deepEqual(requestsSince(replay).map((r) => r.split(' ')[0]), ['GET'], 'a closed record: read, nothing written');
    assert.equal(fake.closes.filter((c) => c.opportunityid === link.recordId).length, 1);
  });

  it('Lost: LoseOpportunity; reopened in DealDesk: the record is reopened first, then its fields written', async () => {
    const target = targetWith();
    const deal = newDeal();
    const link = await created(target, deal);
    later(1);
    const lost = { ...deal, stage: 'Close', outcome: 'Lost' as const, closeReason: 'Budget cut', rev: 2 };
    const closed = await target.send(eventOf(lost, [{ kind: 'stage', from: 'Solution', to: 'Close', outcome: 'Lost' }]), link, signal());
    assert.deepEqual({ state: record(link).statecode, status: record(link).statuscode }, { state: 2, status: 4 });
    assert.equal(fake.closes.find((c) => c.opportunityid === link.recordId)?.subject, 'Budget cut');

    later(1);
    const reopened = { ...deal, stage: 'Proof', nextStep: 'Second chance: new budget in Q2', rev: 3 };
    const mark = fake.requests.length;
    const result = await target.send(eventOf(reopened, [{ kind: 'stage', from: 'Close', to: 'Proof' }, { kind: 'field', field: 'nextStep', from: deal.nextStep, to: reopened.nextStep }]), closed.link, signal());
    const patches = fake.requests.slice(mark).filter((r) => r.method === 'PATCH');
    assert.deepEqual(patches[0].body, { statecode: 0, statuscode: 2 }, 'reopened first');
    const after = record(link);
    assert.deepEqual({ state: after.statecode, status: after.statuscode, salesstage: after.salesstage, stepname: after.stepname }, { state: 0, status: 2, salesstage: 2, stepname: reopened.nextStep });
    assert.equal(result.link?.etag, `W/"${String(after.versionnumber)}"`);
  });

  it('the same first event sent twice (a crash before the link was kept) makes one record, and the repeat reads it instead', async () => {
    const target = targetWith();
    const deal = newDeal();
    const event = eventOf(deal, [{ kind: 'created' }]);
    const first = await target.send(event, undefined, signal());
    const mark = fake.requests.length;
    const second: SendResult = await targetWith().send(event, undefined, signal());
    assert.equal(second.link?.recordId, first.link?.recordId);
    assert.equal(second.link?.etag, first.link?.etag, 'nothing changed');
    const toRecords = requestsSince(mark).filter((r) => r.includes('/opportunities('));
    assert.deepEqual(toRecords.map((r) => r.replace(/\(.*\)/, '(…)')), ['PATCH /api/data/v9.2/opportunities(…) 412', 'GET /api/data/v9.2/opportunities(…) 200'], 'the create finds the record, reads it, and writes nothing');
    assert.equal(fake.opportunities().filter((o) => o.name === deal.title).length, 1);
  });

  it('429 (service protection): a CrmSendError with the wait Dataverse asked for, counted in the metrics', async () => {
    const target = targetWith();
    const before = metrics.dataverseRequests.value({ status: '429' });
    fake.fail({ times: 1, status: 429, retryAfterSeconds: 7, method: 'PATCH' });
    await assert.rejects(target.send(eventOf(newDeal(), [{ kind: 'created' }]), undefined, signal()), (e: unknown) => {
      assert.ok(e instanceof CrmSendError);
      assert.equal(e.status, 429);
      assert.equal(e.retryAfterMs, 7000);
      return true;
    });
    assert.equal(metrics.dataverseRequests.value({ status: '429' }) - before, 1);
  });

  it('an expired token: one 401, a fresh token from a new credential, and the write goes through', async () => {
    const target = targetWith();
    const deal = newDeal();
    const link = await created(target, deal);
    assert.equal(credentials, 1);
    fake.expireTokens();
    const before = metrics.dataverseRequests.value({ status: '401' });
    const mark = fake.requests.length;
    const result = await target.send(eventOf({ ...deal, probability: 60, rev: 2 }, [{ kind: 'field', field: 'probability', from: '40', to: '60' }]), link, signal());
    assert.deepEqual(requestsSince(mark).map((r) => r.replace(/\(.*\)/, '(…)')), ['PATCH /api/data/v9.2/opportunities(…) 401', 'PATCH /api/data/v9.2/opportunities(…) 204']);
    assert.equal(credentials, 2);
    assert.equal(record(link).closeprobability, 60);
    assert.ok(result.link?.etag);
    assert.equal(metrics.dataverseRequests.value({ status: '401' }) - before, 1);
  });

  it('403 (a privilege missing from the security role): a CrmSendError 403 naming the entity set, no record data in it', async () => {
    const target = targetWith();
    const before = metrics.dataverseRequests.value({ status: '403' });
    fake.revokePermission('opportunities');
    const deal = newDeal({ title: 'Fabrikam secret merger' });
    try {
      await assert.rejects(target.send(eventOf(deal, [{ kind: 'created' }]), undefined, signal()), (e: unknown) => {
        assert.ok(e instanceof CrmSendError);
        assert.equal(e.status, 403);
        assert.match(e.message, /opportunities/);
        assert.doesNotMatch(e.message, /Fabrikam|Bearer|entra-token/);
        return true;
      });
    } finally {
      fake.grantPermission('opportunities');
    }
    assert.equal(metrics.dataverseRequests.value({ status: '403' }) - before, 1);
  });

  it('an account Dataverse does not have: left unset (and logged) by default, created with DATAVERSE_CREATE_ACCOUNTS=on', async () => {
    const off = await created(targetWith(), newDeal({ account: 'Northwind Traders' }));
    assert.equal(record(off)._parentaccountid_value ?? null, null);
    assert.equal(fake.accounts().filter((a) => a.name === 'Northwind Traders').length, 0);
    assert.ok(logger.lines.some((l) => l.level === 'warn' && /account.*left unset.*DATAVERSE_CREATE_ACCOUNTS is off/.test(l.msg ?? '')), JSON.stringify(logger.lines));

    const on = await created(targetWith({ DATAVERSE_CREATE_ACCOUNTS: 'on' }), newDeal({ account: 'Northwind Traders' }));
    const accounts = fake.accounts().filter((a) => a.name === 'Northwind Traders');
    assert.equal(accounts.length, 1);
    assert.equal(record(on)._parentaccountid_value, accounts[0].accountid);
  });

  it('an owner without a Dynamics user is not bound (the record stays the application user\'s); lookups are asked once per process', async () => {
    const target = targetWith();
    await created(target, newDeal());
    const stranger = { id: '0f0e0d0c-0b0a-4908-8706-050403020100', name: 'Nestor Wilke' };
    const mark = fake.requests.length;
    const link = await created(target, newDeal({ owner: stranger }));
    assert.deepEqual(requestsSince(mark).map((r) => r.replace(/\(.*\)/, '(…)')), ['GET /api/data/v9.2/systemusers 200', 'PATCH /api/data/v9.2/opportunities(…) 204'], 'the account and the currency came from the cache; the owner was asked for');
    const body = fake.requests.slice(mark).find((r) => r.method === 'PATCH')!.body as Record<string, unknown>;
    assert.ok(!('ownerid@odata.bind' in body), JSON.stringify(body));
    assert.equal(record(link)._ownerid_value, fake.appUserId('dealdesk-tests'));
  });
});
