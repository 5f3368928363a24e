import type { FieldConflict, OutboundEvent } from '../../ports/crm-target.port';
import { keptSide, type FieldOwnership } from '../field-ownership';
import type { FieldValues } from './opportunity-fields';
import { SYNCED_FIELDS, type SyncedField } from './opportunity-mapping';

/** The fields DealDesk writes to the CRM: every one the CRM does not master. */
export const writableFields = (ownership: FieldOwnership): SyncedField[] => SYNCED_FIELDS.filter((f) => ownership[f] !== 'crm');

const isSynced = (field: string): field is SyncedField => (SYNCED_FIELDS as readonly string[]).includes(field);

/**
 * The synced fields an event changed, each with the value it had before (the event's `from`, as DealDesk's text;
 * undefined when there was none: a new deal).
 */
export function changedFields(event: Pick<OutboundEvent, 'changes'>): Map<SyncedField, string | undefined> {
  const changed = new Map<SyncedField, string | undefined>();
  for (const change of event.changes) {
    if (change.kind === 'created') for (const f of SYNCED_FIELDS) changed.set(f, undefined);
    else if (change.kind === 'field' && isSynced(change.field) && !changed.has(change.field)) changed.set(change.field, change.from);
    else if (change.kind === 'stage' && !changed.has('stage')) changed.set('stage', change.from);
    else if (change.kind === 'owner' && !changed.has('owner')) changed.set('owner', change.from.id);
  }
  return changed;
}

export interface MergeInput {
  ownership: FieldOwnership;
  /** The deal's values now (the event's `deal`). */
  dealdesk: FieldValues;
  /** The record's values as just read. */
  crm: FieldValues;
  /** What the event changed: each field's key before the change (undefined: none, or not resolvable). */
  changed: ReadonlyMap<SyncedField, string | undefined>;
  /** When the event's change happened: DealDesk's time for the fields it changed. */
  at: string;
  /** The record's `modifiedon`: the CRM's time for every field (Dataverse keeps no time per column). */
  crmAt: string | undefined;
}

export interface Merge {
  /** The fields to write (DealDesk's value is kept and differs from the record's). */
  write: SyncedField[];
  /** Fields both sides changed, or a CRM change DealDesk's mastery overrides: both values and the one kept. */
  conflicts: FieldConflict[];
}

/**
 * Field by field, what a write over a record read just now should carry. Equal values need nothing. A field the
 * event changed whose record value is still the event's `from` was not touched in the CRM: DealDesk's new value goes
 * in. Otherwise the field's owner decides (keptSide: DealDesk's time is the event's `at` when the event changed the
 * field, else unknown, which loses to any CRM time): a conflict when both sides changed it, or when DealDesk's
 * mastery overrides a CRM change. A CRM change of a last-writer-wins field the event did not touch simply stands
 * (the change poller brings it into DealDesk). The CRM's own fields are never written.
 */
export function mergeFields(input: MergeInput): Merge {
  const write: SyncedField[] = [];
  const conflicts: FieldConflict[] = [];
  for (const field of writableFields(input.ownership)) {
    const ours = input.dealdesk[field];
    const theirs = input.crm[field];
    if (ours.key === undefined || ours.key === theirs.key) continue;
    const touched = input.changed.has(field);
    if (touched && input.changed.get(field) === theirs.key) {
      write.push(field);
      continue;
    }
    const kept = keptSide(input.ownership[field], touched ? input.at : undefined, input.crmAt);
    if (kept === 'dealdesk') write.push(field);
    if (touched || kept === 'dealdesk') conflicts.push({ field, dealdesk: ours.shown, crm: theirs.shown, kept, ...(input.crmAt ? { crmAt: input.crmAt } : {}) });
  }
  return { write, conflicts };
}
