import type { DealField } from '../domain/deal';
import { DomainError } from '../domain/errors';
import { EVIDENCE_KEYS, type EvidenceKey } from '../domain/evidence';
import { shorten } from '../domain/shorten-text';
import { type MoveTarget, parseMoveTarget } from '../domain/stage';
import type { ProposedChange } from '../domain/understand/update-proposal';
import type { UpdatePlan } from '../domain/update-plan';
import { INPUT, PROPOSAL_FIELDS, type ProposalField, type ProposalRow, TICK } from '../cards/proposal-card';

/** A move target as the stage choice's value (Prospect … Proof, Won, Lost); parseMoveTarget reads it back. */
export const targetValue = (target: MoveTarget): string => (target.stage === 'Close' ? target.outcome : target.stage);

function rowsOf(change: ProposedChange): ProposalRow[] {
  const { span } = change;
  switch (change.field) {
    case 'stage': return [{ field: 'stage', value: targetValue(change.target), span }];
    case 'value': return [{ field: 'value', value: change.value.amount, span }, ...(change.value.currency ? [{ field: 'currency' as const, value: change.value.currency, span }] : [])];
    case 'closeDate': return [{ field: 'closeDate', value: change.date, span }];
    case 'probability': return [{ field: 'probability', value: change.percent, span }];
    default: return [{ field: change.field, value: change.text, span }];
  }
}

/** The card's rows for a proposal's changes: one per field (the first the reader gave), in PROPOSAL_FIELDS order. */
export function proposalRows(changes: readonly ProposedChange[]): ProposalRow[] {
  const rows = changes.flatMap(rowsOf);
  return PROPOSAL_FIELDS.flatMap((field) => rows.find((r) => r.field === field) ?? []);
}

const isField = (name: string): name is ProposalField => (PROPOSAL_FIELDS as readonly string[]).includes(name);
const isEvidence = (name: string): name is EvidenceKey => (EVIDENCE_KEYS as readonly string[]).includes(name);

/**
 * What a pressed proposal card asks to apply, read from its inputs (untrusted: any key, any value): the ticked rows
 * with their values as typed, for the domain to validate. A row of a field no proposal card has is refused by name;
 * an unticked row is left out whatever its value.
 */
export function planFromCard(data: Record<string, unknown>): { plan: UpdatePlan; fields: ProposalField[] } {
  const ticked: ProposalField[] = [];
  for (const key of Object.keys(data)) {
    const prefix = key.startsWith(TICK) ? TICK : key.startsWith(INPUT) ? INPUT : undefined;
    if (!prefix) continue;
    const name = key.slice(prefix.length);
    if (!isField(name)) throw new DomainError('DEAL.FIELD_UNKNOWN', { field: shorten(name, 30) });
    if (prefix === TICK && String(data[key]) === 'true') ticked.push(name);
  }
  const plan: UpdatePlan = { fields: [], evidence: {} };
  const fields = PROPOSAL_FIELDS.filter((f) => ticked.includes(f));
  for (const field of fields) {
    const raw = data[`${INPUT}${field}`];
    const input = typeof raw === 'string' || (typeof raw === 'number' && Number.isFinite(raw)) ? String(raw) : '';
    if (field === 'stage') plan.target = parseMoveTarget(input);
    else if (field === 'note') plan.note = input;
    else if (isEvidence(field)) plan.evidence[field] = input;
    else plan.fields.push([field as Exclude<DealField, EvidenceKey>, input]);
  }
  return { plan, fields };
}
