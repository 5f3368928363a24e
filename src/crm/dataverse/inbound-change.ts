import type { Deal } from '../../domain/deal';
import { ACCOUNT_MAX, cleanText, NEXT_STEP_MAX, TITLE_MAX } from '../../domain/deal-fields';
import { type Stage, stageIndex } from '../../domain/stage';
import type { FieldConflict } from '../../ports/crm-target.port';
import { type FieldOwnership, keptSide } from '../field-ownership';
import { OPPORTUNITY_MAPPING, STAGE_OF_SALES_STAGE, type OpportunityMapping, type SyncedField } from './opportunity-mapping';
import type { CrmOpportunity } from './opportunity-record';

/** The opportunity with its lookups resolved to DealDesk's words: the currency's ISO code. */
export type ResolvedOpportunity = CrmOpportunity & { currency?: string };

/** What a changed opportunity means for its deal: the change to apply (applyCrmChange's `changes`) and the conflicts. */
export interface InboundChange {
  changes: Record<string, unknown>;
  conflicts: FieldConflict[];
}

/** Fields the poll brings in (the owner is the CRM's, but a new owner is a reassignment: not applied here). */
const INBOUND_FIELDS = ['title', 'account', 'value', 'currency', 'closeDate', 'probability', 'nextStep', 'stage'] as const satisfies readonly SyncedField[];
type InboundField = (typeof INBOUND_FIELDS)[number];

/** Notes a stage move from the CRM carries where DealDesk asks for a reason (backwards, Lost). History shows them. */
export const CRM_MOVE_NOTE = { lost: 'Closed as lost in Dynamics 365', back: 'Moved back in Dynamics 365' } as const;

const limitOf = (field: SyncedField, fallback: number): number => {
  const m = OPPORTUNITY_MAPPING.find((e) => e.field === field) as Extract<OpportunityMapping, { kind: 'text' }> | undefined;
  return Math.min(m?.max ?? fallback, fallback);
};

/** The deal's stage as one word the move understands and history shows: `Proof`, `Close Won`. */
const stageWord = (stage: Stage, outcome?: string): string => (stage === 'Close' && outcome ? `Close ${outcome}` : stage);

/** The stage the CRM's record asks for, when it differs from the deal's: won/lost closes, an open record's sales stage. */
function crmStage(deal: Deal, opp: CrmOpportunity): { word: string; note?: string } | undefined {
  if (opp.state !== 'open') {
    const outcome = opp.state === 'won' ? 'Won' : 'Lost';
    if (deal.stage === 'Close' && deal.outcome === outcome) return undefined;
    return { word: `Close ${outcome}`, note: outcome === 'Lost' ? (opp.statusLabel ? `${CRM_MOVE_NOTE.lost} (${opp.statusLabel})` : CRM_MOVE_NOTE.lost) : undefined };
  }
  if (opp.salesStage === undefined) return undefined;
  const folds = (OPPORTUNITY_MAPPING.find((m) => m.field === 'stage') as Extract<OpportunityMapping, { kind: 'choice' }>).values;
  // The deal's stage already folds onto the CRM's (Prospect and Qualify both are Qualify there): no move.
  if (deal.stage !== 'Close' && folds[deal.stage] === opp.salesStage) return undefined;
  const target = STAGE_OF_SALES_STAGE[opp.salesStage] as Stage | undefined;
  if (!target) return undefined;
  const back = deal.stage === 'Close' || stageIndex(target) < stageIndex(deal.stage);
  return { word: target, note: back ? CRM_MOVE_NOTE.back : undefined };
}

/** The CRM's value of a field, when it differs from the deal's, as DealDesk's text and as the change carries it. */
function differing(deal: Deal, opp: ResolvedOpportunity, field: InboundField): { dealdesk: string; crm: string; value: unknown; note?: string } | undefined {
  const text = (mine: string, theirs: string | undefined, max: number) => {
    if (theirs === undefined) return undefined;
    const crm = cleanText(theirs).slice(0, max);
    // DealDesk's value cut to the CRM's column is what DealDesk wrote there: no change.
    return crm === '' || crm === cleanText(mine) || crm === cleanText(mine).slice(0, limitOf(field, max)) ? undefined : { dealdesk: mine, crm, value: crm };
  };
  switch (field) {
    case 'title': return text(deal.title, opp.title, TITLE_MAX);
    case 'account': return text(deal.account, opp.account, ACCOUNT_MAX);
    case 'nextStep': return text(deal.nextStep, opp.nextStep, NEXT_STEP_MAX);
    case 'value':
      return opp.value === undefined || Math.abs(opp.value - deal.value.amount) < 0.005 ? undefined : { dealdesk: String(deal.value.amount), crm: String(opp.value), value: opp.value };
    case 'currency':
      return opp.currency === undefined || opp.currency.toUpperCase() === deal.value.currency ? undefined : { dealdesk: deal.value.currency, crm: opp.currency.toUpperCase(), value: opp.currency.toUpperCase() };
    case 'closeDate':
      return opp.closeDate === undefined || opp.closeDate === deal.closeDate ? undefined : { dealdesk: deal.closeDate, crm: opp.closeDate, value: opp.closeDate };
    case 'probability':
      return opp.probability === undefined || opp.probability === deal.probability ? undefined : { dealdesk: String(deal.probability), crm: String(opp.probability), value: opp.probability };
    case 'stage': {
      const stage = crmStage(deal, opp);
      return stage && { dealdesk: stageWord(deal.stage, deal.outcome), crm: stage.word, value: stage.word, note: stage.note };
    }
  }
}

/**
 * When DealDesk's people last changed a field (ISO), from the deal's history: changes the CRM itself brought in
 * (history by `external:` people) do not count. Undefined when the deal kept no such entry (it counts as oldest).
 */
export function dealdeskChangedAt(deal: Deal, field: InboundField): string | undefined {
  for (let i = deal.history.length - 1; i >= 0; i--) {
    const { at, by, change } = deal.history[i];
    if (by.id.startsWith('external:')) continue;
    if (field === 'stage' ? change.kind === 'stage' : change.kind === 'field' && change.field === field) return at;
  }
  return undefined;
}

/**
 * The deal as each of its CRM events still in the outbox carries it: what DealDesk is writing to the record, or wrote
 * before the send's outcome was recorded. A record that holds one of these values is DealDesk's own write coming
 * back, not a CRM change, for that field; the deal's later events bring the record up to the deal. (The target's
 * merge reads a record holding an event's earlier value the same way: untouched by the CRM.)
 */
function valuesOnTheirWay(deal: Deal): Deal[] {
  return deal.crmOutbox.map(({ deal: sent }) => ({
    ...deal,
    title: sent.title,
    account: sent.account,
    value: { ...deal.value, amount: sent.value.amount, currency: sent.value.currency as Deal['value']['currency'] },
    closeDate: sent.closeDate,
    probability: sent.probability,
    nextStep: sent.nextStep,
    stage: sent.stage as Stage,
    outcome: sent.outcome,
  }));
}

/**
 * What a changed opportunity changes on its deal, by the field rules: a `crm` field the CRM changed is applied; a
 * `dealdesk` field that differs is a conflict DealDesk keeps; a `lww` field is applied when the CRM changed it
 * (`modifiedon`) after DealDesk last did, otherwise it is a conflict DealDesk keeps. A record that says what the
 * deal says, or what one of its CRM events still on their way says (DealDesk's own write coming back through change
 * tracking), changes nothing: empty changes, no conflicts.
 */
export function inboundChangeOf(deal: Deal, opp: ResolvedOpportunity, ownership: FieldOwnership): InboundChange {
  const changes: Record<string, unknown> = {};
  const conflicts: FieldConflict[] = [];
  const onTheirWay = valuesOnTheirWay(deal);
  for (const field of INBOUND_FIELDS) {
    const diff = differing(deal, opp, field);
    if (!diff || onTheirWay.some((sent) => !differing(sent, opp, field))) continue;
    const kept = keptSide(ownership[field], dealdeskChangedAt(deal, field), opp.modifiedOn);
    if (kept === 'crm') {
      changes[field] = diff.value;
      if (diff.note) changes.note = diff.note;
    } else {
      conflicts.push({ field, dealdesk: diff.dealdesk, crm: diff.crm, kept, ...(opp.modifiedOn ? { crmAt: opp.modifiedOn } : {}) });
    }
  }
  return { changes, conflicts };
}
