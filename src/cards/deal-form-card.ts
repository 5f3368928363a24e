import type { CardVerb } from '../chat/card-verbs';
import type { Deal } from '../domain/deal';
import { CURRENCIES, DEFAULT_CURRENCY } from '../domain/money';
import { SERVICE_LINES } from '../domain/service-line';
import type { Translate } from '../i18n/locale';
import { serviceLineLabel } from './labels';
import { renderCard } from './render-card';
import { plain } from './safe-text';

/** The form's fields as text, as the card submits them and as it shows them again. */
export interface DealFormValues {
  account: string;
  title: string;
  serviceLines: string;
  value: string;
  currency: string;
  closeDate: string;
  probability: number;
  nextStep: string;
}

export const EMPTY_FORM: DealFormValues = {
  account: '', title: '', serviceLines: '', value: '', currency: DEFAULT_CURRENCY, closeDate: '', probability: 10, nextStep: '',
};

export const formValuesOf = (deal: Deal): DealFormValues => ({
  account: deal.account,
  title: deal.title,
  serviceLines: deal.serviceLines.join(','),
  value: String(deal.value.amount),
  currency: deal.value.currency,
  closeDate: deal.closeDate,
  probability: deal.probability,
  nextStep: deal.nextStep,
});

/** Text the card sent back, made safe to show again in the form after an error. */
export function submittedValues(data: Record<string, unknown>): DealFormValues {
  const s = (k: keyof DealFormValues) => (typeof data[k] === 'string' || typeof data[k] === 'number' ? plain(String(data[k])) : '');
  const probability = Number(data.probability);
  return {
    account: s('account'), title: s('title'), serviceLines: s('serviceLines'), value: s('value'),
    currency: (CURRENCIES as readonly string[]).includes(s('currency')) ? s('currency') : DEFAULT_CURRENCY,
    closeDate: /^\d{4}-\d{2}-\d{2}$/.test(s('closeDate')) ? s('closeDate') : '',
    probability: Number.isFinite(probability) && probability >= 0 && probability <= 100 ? probability : EMPTY_FORM.probability,
    nextStep: s('nextStep'),
  };
}

/** The create form (no deal) or the edit form (a deal), optionally with an error to fix. */
export function dealFormCard(t: Translate, options: { deal?: Deal; values?: DealFormValues; error?: string }) {
  const { deal } = options;
  const values = options.values ?? (deal ? formValuesOf(deal) : EMPTY_FORM);
  return renderCard('deal-form', {
    heading: deal ? t('form.editHeading', { id: deal.id }) : t('form.newHeading'),
    error: options.error ?? '',
    dealId: deal?.id ?? '',
    rev: deal?.rev ?? 0,
    values: { ...values, account: plain(values.account), title: plain(values.title), nextStep: plain(values.nextStep) },
    labels: {
      account: t('field.account'), title: t('field.title'), serviceLines: t('field.serviceLines'), value: t('field.value'),
      currency: t('field.currency'), closeDate: t('field.closeDate'), probability: t('field.probability'), nextStep: t('field.nextStep'),
    },
    placeholders: { account: t('form.placeholder.account'), title: t('form.placeholder.title'), value: t('form.placeholder.value'), nextStep: t('form.placeholder.nextStep') },
    errors: { account: t('form.required'), title: t('form.required'), serviceLines: t('form.required'), closeDate: t('form.required') },
    serviceLineChoices: SERVICE_LINES.map((l) => ({ title: serviceLineLabel(t, l), value: l })),
    currencyChoices: CURRENCIES.map((c) => ({ title: c, value: c })),
    submit: deal ? { title: t('button.save'), verb: 'deal.update' satisfies CardVerb } : { title: t('button.create'), verb: 'deal.create' satisfies CardVerb },
    cancel: deal ? { title: t('button.cancel'), verb: 'deal.show' satisfies CardVerb } : { title: t('button.cancel'), verb: 'help.show' satisfies CardVerb },
  });
}
