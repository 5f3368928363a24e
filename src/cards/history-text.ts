import type { Change, DealField, HistoryEntry } from '../domain/deal';
import type { Currency } from '../domain/money';
import { formatDate, formatInstant, formatMoney } from '../i18n/format';
import type { Locale, Translate } from '../i18n/locale';
import { fieldLabel, stageLabel } from './labels';
import { mdInline } from './safe-text';
import { EVIDENCE_KEYS } from '../domain/evidence';

const DEAL_FIELDS: readonly string[] = ['title', 'account', 'serviceLines', 'discountPct', 'nonStandardTerms', 'value', 'currency', 'closeDate', 'probability', 'nextStep', ...EVIDENCE_KEYS] satisfies readonly DealField[];
const isDealField = (field: string): boolean => DEAL_FIELDS.includes(field);

/** How much of a logged note the deal card's history shows (the whole note stays stored). */
export const NOTE_SHOWN = 200;

/** How much of a text a history line shows: clipped on the deal card, whole (up to the longest stored) on `history <deal>`. */
interface Shown {
  note: number;
  value: number;
  reason: number;
}
const ON_DEAL_CARD: Shown = { note: NOTE_SHOWN, value: 80, reason: 120 };
export const WHOLE: Shown = { note: 1000, value: 500, reason: 500 };

/** A stored old/new value, shown the way the field is shown elsewhere. */
export function fieldValueText(locale: Locale, field: DealField, value: string, currency: Currency, max = ON_DEAL_CARD.value): string {
  if (value === '') return '—';
  if (field === 'value') return formatMoney(locale, { amount: Number(value), currency });
  if (field === 'closeDate') return formatDate(locale, value);
  if (field === 'probability') return `${value}%`;
  return mdInline(value, max);
}

function changeText(t: Translate, locale: Locale, change: Change, currency: Currency, shown: Shown): string {
  switch (change.kind) {
    case 'created':
      return t('history.created');
    case 'stage': {
      const text = t('history.stage', { from: stageLabel(t, change.from), to: stageLabel(t, change.to, change.outcome) });
      return change.note ? `${text} (${mdInline(change.note, shown.reason)})` : text;
    }
    case 'team':
      return t(change.action === 'added' ? 'history.teamAdded' : 'history.teamRemoved', { name: mdInline(change.person.name, 80), role: mdInline(change.role, 60) });
    case 'note':
      return t('history.note', { text: mdInline(change.text, shown.note) });
    case 'owner':
      return t('history.owner', { from: mdInline(change.from.name, 80), to: mdInline(change.to.name, 80) });
    case 'field':
      return t('history.field', {
        field: fieldLabel(t, change.field),
        from: fieldValueText(locale, change.field, change.from, currency, shown.value),
        to: fieldValueText(locale, change.field, change.to, currency, shown.value),
      });
    case 'conflict': {
      // A field DealDesk knows is named and shown as everywhere else; another (a CRM's own) as it came.
      const known = isDealField(change.field);
      const value = (v: string) => (known ? fieldValueText(locale, change.field as DealField, v, currency, shown.value) : mdInline(v, shown.value) || '—');
      return t('history.conflict', {
        field: known ? fieldLabel(t, change.field as DealField) : mdInline(change.field, 60),
        dealdesk: value(change.dealdesk),
        crm: value(change.crm),
        kept: t(change.kept === 'crm' ? 'history.conflict.keptCrm' : 'history.conflict.keptDealdesk'),
      });
    }
  }
}

/** "Nov 26, 2026, 10:00 PM UTC · Alex Wilber: moved Prospect → Qualify". */
export const historyLine = (t: Translate, locale: Locale, entry: HistoryEntry, currency: Currency, shown: Shown = ON_DEAL_CARD): string =>
  `${formatInstant(locale, entry.at)} · ${mdInline(entry.by.name, 80)}: ${changeText(t, locale, entry.change, currency, shown)}`;
