import assert from 'node:assert/strict';
import type { CrmDealView, OutboundEvent } from '../../src/ports/crm-target.port';
import { DEFAULT_FIELD_OWNERSHIP, parseFieldOwnership } from '../../src/crm/field-ownership';
import { changedFields, mergeFields, writableFields } from '../../src/crm/dataverse/field-merge';
import { closeActionOf, REOPEN_BODY } from '../../src/crm/dataverse/opportunity-close';
import { dealValues, opportunityBody, recordValues } from '../../src/crm/dataverse/opportunity-fields';
import { nameBasedUuid, opportunityIdOf } from '../../src/crm/dataverse/opportunity-id';
import { SYNCED_FIELDS } from '../../src/crm/dataverse/opportunity-mapping';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ACCOUNT = 'a1a1a1a1-0000-4000-8000-000000000001';
const EUR = 'c0c0c0c0-0000-4000-8000-000000000978';
const USD = 'c0c0c0c0-0000-4000-8000-000000000840';
const SE = 'b2b2b2b2-0000-4000-8000-000000000002';
const IDS = { account: ACCOUNT, currency: EUR, owner: SE };

const deal = (over: Partial<CrmDealView> = {}): CrmDealView => ({
  id: 'D-1042',
  tenantId: TENANT,
  title: 'Contoso data platform',
  account: 'Contoso',
  owner: { id: '11111111-2222-4333-8444-555555555555', name: 'Alex Wilber' },
  stage: 'Solution',
  value: { amount: 120000, currency: 'EUR' },
  closeDate: '2027-03-31',
  probability: 40,
  nextStep: 'Workshop with the CIO',
  evidence: {},
  serviceLines: ['Data'],
  rev: 3,
  ...over,
});

/** The record as a read returns it after DealDesk wrote `deal` (lookups with their formatted names). */
const recordOf = (d: CrmDealView, over: Record<string, unknown> = {}) => ({
  opportunityid: opportunityIdOf(TENANT, d.id),
  name: d.title,
  _parentaccountid_value: ACCOUNT,
  '_parentaccountid_value@OData.Community.Display.V1.FormattedValue': d.account,
  estimatedvalue: d.value.amount,
  _transactioncurrencyid_value: EUR,
  '_transactioncurrencyid_value@OData.Community.Display.V1.FormattedValue': 'Euro',
  estimatedclosedate: d.closeDate,
  closeprobability: d.probability,
  stepname: d.nextStep,
  salesstage: 1,
  _ownerid_value: SE,
  '_ownerid_value@OData.Community.Display.V1.FormattedValue': d.owner.name,
  statecode: 0,
  statuscode: 1,
  modifiedon: '2026-12-01T10:00:00Z',
  ...over,
});

const event = (changes: OutboundEvent['changes'], at = '2026-12-01T09:00:00.000Z'): Pick<OutboundEvent, 'changes' | 'at'> => ({ changes, at });

describe('Dataverse sync rules: the opportunity id, the PATCH body, the field-by-field merge', () => {
  describe('the opportunity id is a name-based UUID of tenant and deal', () => {
    it('is RFC 9562 version 5 (the standard test vector: www.example.com in the DNS namespace)', () => {
      assert.equal(nameBasedUuid('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com'), '2ed6657d-e927-568b-95e1-2665a8aea6a2');
    });

    it('the same deal gets the same id every time, whatever the tenant id\'s case; another deal or tenant another', () => {
      const id = opportunityIdOf(TENANT, 'D-1042');
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(opportunityIdOf(TENANT.toUpperCase(), 'D-1042'), id);
      assert.notEqual(opportunityIdOf(TENANT, 'D-1043'), id);
      assert.notEqual(opportunityIdOf('00000000-0000-4000-8000-000000000001', 'D-1042'), id);
    });
  });

  describe('the PATCH body', () => {
    it('a new deal writes every mapped field, lookups bound by id, the stage as its Dynamics sales stage', () => {
      assert.deepEqual(opportunityBody(deal(), SYNCED_FIELDS, IDS), {
        name: 'Contoso data platform',
        'parentaccountid@odata.bind': `/accounts(${ACCOUNT})`,
        estimatedvalue: 120000,
        'transactioncurrencyid@odata.bind': `/transactioncurrencies(${EUR})`,
        estimatedclosedate: '2027-03-31',
        closeprobability: 40,
        stepname: 'Workshop with the CIO',
        salesstage: 1,
        'ownerid@odata.bind': `/systemusers(${SE})`,
      });
    });

    it('a lookup without a record is left out (unset), and only the fields asked for are written', () => {
      const body = opportunityBody(deal(), ['account', 'owner', 'value', 'currency'], { currency: EUR });
      assert.deepEqual(body, { estimatedvalue: 120000, 'transactioncurrencyid@odata.bind': `/transactioncurrencies(${EUR})` });
    });

    it('texts are cut to the column\'s length; a closed deal stands at Close (3)', () => {
      const body = opportunityBody(deal({ title: 'x'.repeat(400), nextStep: 'y'.repeat(250), stage: 'Close', outcome: 'Won' }), ['title', 'nextStep', 'stage'], IDS);
      assert.equal((body.name as string).length, 300);
      assert.equal((body.stepname as string).length, 200);
      assert.equal(body.salesstage, 3);
    });
  });

  describe('the close actions', () => {
    it('Won: WinOpportunity, Status 3, actual revenue the value, ending on the close date, subject the close reason', () => {
      const id = opportunityIdOf(TENANT, 'D-1042');
      assert.deepEqual(closeActionOf(deal({ stage: 'Close', outcome: 'Won', closeReason: 'Best delivery plan' }), id), {
        name: 'WinOpportunity',
        body: { Status: 3, OpportunityClose: { 'opportunityid@odata.bind': `/opportunities(${id})`, subject: 'Best delivery plan', actualrevenue: 120000, actualend: '2027-03-31' } },
      });
    });

    it('Lost: LoseOpportunity, Status 4 (canceled), no revenue; reopening is statecode 0, statuscode 2', () => {
      const action = closeActionOf(deal({ stage: 'Close', outcome: 'Lost' }), 'x');
      assert.equal(action.name, 'LoseOpportunity');
      assert.deepEqual(action.body, { Status: 4, OpportunityClose: { 'opportunityid@odata.bind': '/opportunities(x)', subject: 'Lost in DealDesk', actualend: '2027-03-31' } });
      assert.deepEqual(REOPEN_BODY, { statecode: 0, statuscode: 2 });
    });
  });

  describe('which fields an event changed', () => {
    it('a new deal changed them all; a field, stage or owner change names its field and earlier value', () => {
      assert.deepEqual([...changedFields(event([{ kind: 'created' }])).keys()], [...SYNCED_FIELDS]);
      assert.deepEqual(
        [...changedFields(event([
          { kind: 'field', field: 'value', from: '100000', to: '120000' },
          { kind: 'field', field: 'budget', from: '', to: 'Approved' },
          { kind: 'stage', from: 'Qualify', to: 'Solution' },
          { kind: 'owner', from: { id: 'o1', name: 'Megan' }, to: { id: 'o2', name: 'Alex' } },
          { kind: 'note', text: 'called' },
        ]))],
        [['value', '100000'], ['stage', 'Qualify'], ['owner', 'o1']],
      );
    });
  });

  describe('the merge after a 412 (field by field, by the owner of each field)', () => {
    const ownership = DEFAULT_FIELD_OWNERSHIP;
    const merge = (d: CrmDealView, record: Record<string, unknown>, changed: Map<string, string | undefined>, at = '2026-12-01T09:00:00.000Z', o = ownership) =>
      mergeFields({ ownership: o, dealdesk: dealValues(d, IDS), crm: recordValues(record), changed: changed as never, at, crmAt: record.modifiedon as string });

    it('DealDesk never writes the fields the CRM masters by default (account, owner)', () => {
      assert.deepEqual(writableFields(ownership), ['title', 'value', 'currency', 'closeDate', 'probability', 'nextStep', 'stage']);
    });

    it('equal values need nothing, whoever changed what', () => {
      const d = deal();
      assert.deepEqual(merge(d, recordOf(d), new Map([['value', '100000']])), { write: [], conflicts: [] });
    });

    it('a field DealDesk changed that the CRM left at its earlier value is written, with no conflict', () => {
      const d = deal();
      assert.deepEqual(merge(d, recordOf(d, { estimatedvalue: 100000 }), new Map([['value', '100000']])), { write: ['value'], conflicts: [] });
    });

    it('both changed a last-writer-wins field: the later one wins, and the conflict carries both values', () => {
      const d = deal();
      const record = recordOf(d, { estimatedvalue: 150000, modifiedon: '2026-12-01T10:00:00Z' });
      assert.deepEqual(merge(d, record, new Map([['value', '100000']]), '2026-12-01T09:00:00.000Z'), {
        write: [],
        conflicts: [{ field: 'value', dealdesk: '120000', crm: '150000', kept: 'crm', crmAt: '2026-12-01T10:00:00Z' }],
      });
      assert.deepEqual(merge(d, record, new Map([['value', '100000']]), '2026-12-01T11:00:00.000Z'), {
        write: ['value'],
        conflicts: [{ field: 'value', dealdesk: '120000', crm: '150000', kept: 'dealdesk', crmAt: '2026-12-01T10:00:00Z' }],
      });
    });

    it('a CRM change of a last-writer-wins field DealDesk did not touch stands, with no conflict (the poller brings it in)', () => {
      const d = deal();
      assert.deepEqual(merge(d, recordOf(d, { closeprobability: 60 }), new Map([['value', '100000']])), { write: [], conflicts: [] });
    });

    it('DealDesk masters the stage: a CRM change of it is overwritten and recorded as a conflict, shown by name', () => {
      const d = deal();
      assert.deepEqual(merge(d, recordOf(d, { salesstage: 2, 'salesstage@OData.Community.Display.V1.FormattedValue': 'Propose' }), new Map()), {
        write: ['stage'],
        conflicts: [{ field: 'stage', dealdesk: 'Solution', crm: 'Propose', kept: 'dealdesk', crmAt: '2026-12-01T10:00:00Z' }],
      });
    });

    it('a field configured as the CRM\'s is never written, even when DealDesk changed it', () => {
      const d = deal();
      const o = parseFieldOwnership('value=crm');
      assert.deepEqual(merge(d, recordOf(d, { estimatedvalue: 150000 }), new Map([['value', '100000']]), '2026-12-02T00:00:00.000Z', o), { write: [], conflicts: [] });
    });

    it('lookups compare by record id: a currency changed on both sides is a conflict shown as code and name', () => {
      const d = deal();
      const record = recordOf(d, { _transactioncurrencyid_value: USD.toUpperCase(), '_transactioncurrencyid_value@OData.Community.Display.V1.FormattedValue': 'US Dollar' });
      assert.deepEqual(merge(d, record, new Map([['currency', 'c0c0c0c0-0000-4000-8000-000000000826']])).conflicts, [
        { field: 'currency', dealdesk: 'EUR', crm: 'US Dollar', kept: 'crm', crmAt: '2026-12-01T10:00:00Z' },
      ]);
      assert.deepEqual(merge(d, recordOf(d, { _transactioncurrencyid_value: EUR.toUpperCase() }), new Map()).write, [], 'the same record in another case');
    });
  });
});
