import type { Deal } from '../domain/deal';
import type { CsatEntry } from '../domain/delivery-plan';
import type { Locale, Translate } from '../i18n/locale';
import { csatFacts } from './low-csat-card';
import { renderCard } from './render-card';
import { mdInline, plain } from './safe-text';

/** Plan the recovery of a low score: a next step, and who owns it (a person, by name). */
export function csatRecoveryCard(t: Translate, locale: Locale, deal: Deal, entry: CsatEntry, options: { error?: string; values?: { nextStep?: string; owner?: string } } = {}) {
  const values = options.values ?? {};
  return renderCard('csat-recovery', {
    error: options.error ?? '',
    heading: t('recovery.heading', { id: deal.id, account: mdInline(deal.account, 80) }),
    facts: csatFacts(t, locale, deal, entry),
    labels: { nextStep: t('recovery.nextStep'), owner: t('recovery.owner'), required: t('plan.required') },
    placeholders: { nextStep: t('recovery.nextStepPlaceholder'), owner: t('recovery.ownerPlaceholder') },
    values: { nextStep: plain(values.nextStep ?? entry.recovery?.nextStep ?? '', 300), owner: plain(values.owner ?? entry.recovery?.owner.name ?? '', 120) },
    dealId: deal.id,
    csatId: entry.id,
    buttons: { save: t('recovery.save'), deal: t('button.openDeal') },
  });
}
