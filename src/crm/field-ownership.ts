import { SYNCED_FIELDS, type SyncedField } from './dataverse/opportunity-mapping';

/**
 * Who masters a synced field. `dealdesk`: DealDesk's value is written to the CRM and a CRM-side change of it is
 * not applied (recorded as a conflict when it differs). `crm`: DealDesk never writes it to the CRM and applies
 * the CRM's changes. `lww`: last writer wins, by when each side last changed it (DealDesk's history, the CRM's
 * `modifiedon`); on a tie DealDesk keeps its value. Every conflict lands in the deal's history with both values.
 */
export type FieldOwner = 'dealdesk' | 'crm' | 'lww';
export type FieldOwnership = Readonly<Record<SyncedField, FieldOwner>>;

/**
 * The defaults (docs/crm-sync.md): the CRM masters the account (sales operations keep the account tree) and the
 * owner (territories are assigned there); stages are DealDesk's (its stage gates, evidence and approvals live here);
 * the commercial fields are last-writer-wins, so an SE's update in Teams and a sales-ops correction in the CRM both land.
 */
export const DEFAULT_FIELD_OWNERSHIP: FieldOwnership = Object.freeze({
  title: 'lww',
  account: 'crm',
  value: 'lww',
  currency: 'lww',
  closeDate: 'lww',
  probability: 'lww',
  nextStep: 'lww',
  stage: 'dealdesk',
  owner: 'crm',
});

const OWNERS: readonly string[] = ['dealdesk', 'crm', 'lww'];

/**
 * Parses CRM_FIELD_OWNERS (`value=crm, stage=lww`): the named fields change owner, the rest keep the defaults.
 * Throws with a sentence naming the bad entry (config.ts turns it into a ConfigError).
 */
export function parseFieldOwnership(text: string | undefined): FieldOwnership {
  const ownership: Record<SyncedField, FieldOwner> = { ...DEFAULT_FIELD_OWNERSHIP };
  for (const entry of (text ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const [field, owner, ...rest] = entry.split('=').map((p) => p.trim());
    if (rest.length > 0 || !(SYNCED_FIELDS as readonly string[]).includes(field) || !OWNERS.includes(owner)) {
      throw new Error(`"${entry.slice(0, 40)}" is not <field>=<owner> with a field of ${SYNCED_FIELDS.join(', ')} and an owner of ${OWNERS.join(', ')}`);
    }
    ownership[field as SyncedField] = owner as FieldOwner;
  }
  return Object.freeze(ownership);
}

/**
 * Which value a field keeps when both sides changed it since they last agreed: DealDesk's (`dealdesk`) or the CRM's
 * (`crm`). `dealdeskAt`/`crmAt` are ISO times of each side's last change of the field (undefined: unknown, counts as oldest).
 */
export function keptSide(owner: FieldOwner, dealdeskAt: string | undefined, crmAt: string | undefined): 'dealdesk' | 'crm' {
  if (owner !== 'lww') return owner;
  return (crmAt ?? '') > (dealdeskAt ?? '') ? 'crm' : 'dealdesk';
}
