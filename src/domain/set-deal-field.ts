import { parseCalendarDate } from './calendar-date';
import { type Change, type Deal, type DealField, isOpen, withChanges } from './deal';
import { parseAccount, parseNextStep, parseProbability, parseTitle, cleanText } from './deal-fields';
import { DomainError } from './errors';
import { EVIDENCE_KEYS, EVIDENCE_MAX_LENGTH, type EvidenceKey } from './evidence';
import { parseAmount, parseCurrency } from './money';
import type { Person } from './person';
import { parseServiceLines } from './service-line';
import { shorten } from './shorten-text';

const FIELD_ALIASES: ReadonlyArray<[string, DealField]> = [
  ['close date', 'closeDate'], ['closedate', 'closeDate'], ['close', 'closeDate'], ['date', 'closeDate'],
  ['next step', 'nextStep'], ['nextstep', 'nextStep'], ['next', 'nextStep'],
  ['value', 'value'], ['nws', 'value'], ['amount', 'value'],
  ['currency', 'currency'], ['probability', 'probability'], ['prob', 'probability'],
  ['title', 'title'], ['account', 'account'], ['discount', 'discountPct'], ['terms', 'nonStandardTerms'], ['non-standard terms', 'nonStandardTerms'], ['service lines', 'serviceLines'], ['lines', 'serviceLines'],
  ['bdm', 'bdm'], ['tdm', 'tdm'], ['budget', 'budget'],
  ['solution outline', 'solutionOutline'], ['outline', 'solutionOutline'],
  ['proposal', 'proposalRef'], ['sow', 'proposalRef'], ['proposal ref', 'proposalRef'],
  // Chinese: the zh-CN catalogue's field labels and the short words people type for them.
  ['预计关闭日期', 'closeDate'], ['关闭日期', 'closeDate'], ['日期', 'closeDate'],
  ['下一步', 'nextStep'], ['金额', 'value'], ['nws 金额', 'value'], ['nws金额', 'value'],
  ['币种', 'currency'], ['货币', 'currency'], ['赢单概率', 'probability'], ['概率', 'probability'],
  ['标题', 'title'], ['客户', 'account'], ['折扣', 'discountPct'], ['非标准条款', 'nonStandardTerms'], ['条款', 'nonStandardTerms'],
  ['服务线', 'serviceLines'], ['业务决策人', 'bdm'], ['技术决策人', 'tdm'], ['预算', 'budget'],
  ['方案概要', 'solutionOutline'], ['概要', 'solutionOutline'], ['建议书', 'proposalRef'], ['建议书编号', 'proposalRef'], ['sow 编号', 'proposalRef'], ['sow编号', 'proposalRef'],
];

/** Field names as users type them, longest first so "close date" wins over "close". */
export const FIELD_WORDS = [...FIELD_ALIASES].sort((a, b) => b[0].length - a[0].length);

export function parseField(input: string): DealField {
  const key = input.trim().toLowerCase().replace(/\s+/g, ' ');
  const hit = FIELD_ALIASES.find(([alias]) => alias === key || alias === key.replace(/ ?(\p{Script=Han}) ?/gu, '$1'));
  if (!hit) throw new DomainError('DEAL.FIELD_UNKNOWN', { field: shorten(input.trim(), 30) });
  return hit[1];
}

/** A discount in percent, 0–100 ("20%" is fine). */
function parseDiscount(input: string): number {
  const text = input.trim().replace(/%$/, '').trim();
  const value = /^\d{1,3}(\.\d{1,2})?$/.test(text) ? Number(text) : NaN;
  if (!(value >= 0 && value <= 100)) throw new DomainError('DEAL.DISCOUNT_INVALID', { value: shorten(input.trim(), 20) });
  return value;
}

function parseEvidence(key: EvidenceKey, input: string): string {
  const value = cleanText(input);
  if (!value || value.length > EVIDENCE_MAX_LENGTH) throw new DomainError('DEAL.EVIDENCE_INVALID', { item: key, max: EVIDENCE_MAX_LENGTH });
  return value;
}

/** The patch and the display strings for one field change; validation happens here. */
function fieldChange(deal: Deal, field: DealField, input: string): { patch: Partial<Deal>; from: string; to: string } {
  switch (field) {
    case 'title': return { patch: { title: parseTitle(input) }, from: deal.title, to: parseTitle(input) };
    case 'account': return { patch: { account: parseAccount(input) }, from: deal.account, to: parseAccount(input) };
    case 'nextStep': return { patch: { nextStep: parseNextStep(input) }, from: deal.nextStep, to: parseNextStep(input) };
    case 'closeDate': return { patch: { closeDate: parseCalendarDate(input) }, from: deal.closeDate, to: parseCalendarDate(input) };
    case 'discountPct': {
      const pct = parseDiscount(input);
      return { patch: { discountPct: pct }, from: String(deal.discountPct), to: String(pct) };
    }
    case 'nonStandardTerms': {
      // "none", "no" or "standard" clears the flag; any other text describes the non-standard terms.
      const text = cleanText(input);
      const terms = /^(none|no|standard|off|无|没有|标准)$/i.test(text) ? undefined : parseEvidence('nonStandardTerms' as never, text);
      return { patch: { nonStandardTerms: terms }, from: deal.nonStandardTerms ?? '', to: terms ?? '' };
    }
    case 'serviceLines': {
      const lines = parseServiceLines(input);
      return { patch: { serviceLines: lines }, from: deal.serviceLines.join(', '), to: lines.join(', ') };
    }
    case 'probability': {
      const p = parseProbability(input);
      return { patch: { probability: p }, from: String(deal.probability), to: String(p) };
    }
    case 'value': {
      const amount = parseAmount(input);
      return { patch: { value: { ...deal.value, amount } }, from: String(deal.value.amount), to: String(amount) };
    }
    case 'currency': {
      const currency = parseCurrency(input);
      return { patch: { value: { ...deal.value, currency } }, from: deal.value.currency, to: currency };
    }
    default: {
      const value = parseEvidence(field, input);
      return { patch: { evidence: { ...deal.evidence, [field]: value } }, from: deal.evidence[field] ?? '', to: value };
    }
  }
}

/** Sets one field of an open deal, recording old → new in the history. Setting the same value is a no-op. */
export function setDealField(deal: Deal, field: DealField, input: string, by: Person, at: string): Deal {
  if (!isOpen(deal) && !(EVIDENCE_KEYS as readonly string[]).includes(field) && field !== 'nextStep') {
    throw new DomainError('DEAL.CLOSED', { id: deal.id });
  }
  const { patch, from, to } = fieldChange(deal, field, input);
  if (from === to) return deal;
  const change: Change = { kind: 'field', field, from, to };
  return withChanges(deal, by, at, [change], patch);
}
