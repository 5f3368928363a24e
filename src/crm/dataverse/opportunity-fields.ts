import type { CrmDealView } from '../../ports/crm-target.port';
import { formatted, OPPORTUNITY_MAPPING, STAGE_OF_SALES_STAGE, type OpportunityMapping, type SyncedField } from './opportunity-mapping';

/** A lookup field: the account, the currency, the owner (the SE). */
export type LookupField = Extract<OpportunityMapping, { kind: 'lookup' }>['field'];

/** The records a deal's lookups resolve to in Dataverse (ids); a field without one is left unset. */
export type LookupIds = Partial<Record<SyncedField, string>>;

/**
 * A field's value on one side: `key` compares the two sides (a lookup's record id, a choice's number, the text as the
 * column keeps it), `shown` is what the deal's history shows (the account's name, the currency's code, the stage).
 * A key of undefined is a value DealDesk cannot write (a lookup that found no record).
 */
export interface FieldValue {
  key: string | undefined;
  shown: string;
}

export type FieldValues = Readonly<Record<SyncedField, FieldValue>>;

export const mappingOf = (field: SyncedField): OpportunityMapping => OPPORTUNITY_MAPPING.find((m) => m.field === field)!;

export const isLookup = (field: SyncedField): field is LookupField => mappingOf(field).kind === 'lookup';

/** The deal's own text for a field: what a lookup is resolved by, what history shows. */
export function dealText(deal: CrmDealView, field: SyncedField): string {
  switch (field) {
    case 'title': return deal.title;
    case 'account': return deal.account;
    case 'value': return String(deal.value.amount);
    case 'currency': return deal.value.currency;
    case 'closeDate': return deal.closeDate;
    case 'probability': return String(deal.probability);
    case 'nextStep': return deal.nextStep ?? '';
    case 'stage': return deal.outcome ?? deal.stage;
    case 'owner': return deal.owner.id;
  }
}

/** A DealDesk value (the deal's, or an event's `from`) as the column would keep it: the key both sides compare by. */
export function keyOf(field: SyncedField, text: string, ids: LookupIds): string | undefined {
  const m = mappingOf(field);
  switch (m.kind) {
    case 'text': return text.slice(0, m.max);
    case 'money': return text === '' ? '' : String(Number(text));
    case 'integer': return text === '' ? '' : String(Math.round(Number(text)));
    case 'date': return text.slice(0, 10);
    case 'choice': return m.values[text] === undefined ? undefined : String(m.values[text]);
    case 'lookup': return ids[field]?.toLowerCase();
  }
}

/** The deal's values, field by field (`ids`: its lookups, resolved). */
export function dealValues(deal: CrmDealView, ids: LookupIds): FieldValues {
  const values = {} as Record<SyncedField, FieldValue>;
  for (const m of OPPORTUNITY_MAPPING) {
    const text = dealText(deal, m.field);
    // Won and Lost close through the actions; for the sales stage a closed deal stands at Close.
    const keyText = m.field === 'stage' && deal.outcome ? 'Close' : text;
    values[m.field] = { key: keyOf(m.field, keyText, ids), shown: m.field === 'owner' ? deal.owner.name : text };
  }
  return values;
}

/** The record's values, field by field, as a read returns them (`_x_value` lookups with their formatted names). */
export function recordValues(record: Readonly<Record<string, unknown>>): FieldValues {
  const values = {} as Record<SyncedField, FieldValue>;
  for (const m of OPPORTUNITY_MAPPING) {
    const raw = record[m.kind === 'lookup' ? m.read : m.attribute];
    const given = raw === null || raw === undefined ? '' : String(raw);
    const label = record[formatted(m.kind === 'lookup' ? m.read : m.attribute)];
    let key: string;
    switch (m.kind) {
      case 'money':
      case 'integer': key = given === '' ? '' : String(Number(given)); break;
      case 'date': key = given.slice(0, 10); break;
      case 'lookup': key = given.toLowerCase(); break;
      default: key = given;
    }
    const shown = m.kind === 'lookup' || m.kind === 'choice' ? (typeof label === 'string' ? label : m.kind === 'choice' && given !== '' ? (STAGE_OF_SALES_STAGE[Number(given)] ?? given) : given) : key;
    values[m.field] = { key, shown };
  }
  return values;
}

/** The PATCH body that writes `fields` of the deal (lookups bound by id; a lookup without one, or a stage without a sales stage, is left out). */
export function opportunityBody(deal: CrmDealView, fields: readonly SyncedField[], ids: LookupIds): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const values = dealValues(deal, ids);
  for (const m of OPPORTUNITY_MAPPING) {
    if (!fields.includes(m.field)) continue;
    const key = values[m.field].key;
    if (key === undefined) continue;
    switch (m.kind) {
      case 'text':
      case 'date': body[m.attribute] = key; break;
      case 'money':
      case 'integer':
      case 'choice': body[m.attribute] = Number(key); break;
      case 'lookup': body[`${m.bind}@odata.bind`] = `/${m.entitySet}(${ids[m.field]})`; break;
    }
  }
  return body;
}
