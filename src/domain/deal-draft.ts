import { parseCalendarDate } from './calendar-date';
import { type Deal, dealDefaults, dealIdOf } from './deal';
import { parseAccount, parseNextStep, parseProbability, parseTitle } from './deal-fields';
import { DEFAULT_CURRENCY, parseAmount, parseCurrency } from './money';
import type { Person } from './person';
import { parseServiceLines } from './service-line';

/** What the "new deal" form (or a webhook) supplies, as untrusted text. */
export interface DealDraft {
  account?: unknown;
  title?: unknown;
  serviceLines?: unknown;
  value?: unknown;
  currency?: unknown;
  closeDate?: unknown;
  probability?: unknown;
  nextStep?: unknown;
}

const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** Validates a draft field by field (the first bad field is reported) and builds a new deal in Prospect. */
export function newDeal(draft: DealDraft, ctx: { number: number; tenantId: string; owner: Person; now: string }): Deal {
  const lines = Array.isArray(draft.serviceLines) ? draft.serviceLines.map(text) : text(draft.serviceLines);
  const deal: Deal = {
    id: dealIdOf(ctx.number),
    number: ctx.number,
    tenantId: ctx.tenantId,
    account: parseAccount(text(draft.account)),
    title: parseTitle(text(draft.title)),
    serviceLines: parseServiceLines(lines),
    value: {
      amount: parseAmount(text(draft.value) || '0'),
      currency: text(draft.currency).trim() ? parseCurrency(text(draft.currency)) : DEFAULT_CURRENCY,
    },
    closeDate: parseCalendarDate(text(draft.closeDate)),
    probability: text(draft.probability).trim() ? parseProbability(text(draft.probability)) : 10,
    nextStep: parseNextStep(text(draft.nextStep)),
    owner: ctx.owner,
    stage: 'Prospect',
    evidence: {},
    history: [{ at: ctx.now, by: ctx.owner, change: { kind: 'created' } }],
    createdAt: ctx.now,
    updatedAt: ctx.now,
    rev: 1,
    ...dealDefaults(),
  };
  return deal;
}
