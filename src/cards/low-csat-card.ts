import type { Deal } from '../domain/deal';
import type { CsatEntry } from '../domain/delivery-plan';
import { formatDate } from '../i18n/format';
import type { Locale, MessageKey, Translate } from '../i18n/locale';
import { renderCard } from './render-card';
import { md, mdInline } from './safe-text';
import { bannerView } from './banner';

export const csatFacts = (t: Translate, locale: Locale, deal: Deal, entry: CsatEntry) => [
  { title: t('followUp.account'), value: md(deal.account, 80) },
  { title: t('followUp.deal'), value: `${deal.id} · ${md(deal.title, 80)}` },
  { title: t('followUp.owner'), value: md(deal.owner.name, 80) },
  { title: t('csat.score'), value: t(`csat.score.${entry.score}` as MessageKey) },
  { title: t('csat.conditionsMet'), value: t(`csat.cos.${entry.conditionsMet}` as MessageKey) },
  ...(entry.milestone ? [{ title: t('followUp.milestone'), value: md(entry.milestone, 80) }] : []),
  { title: t('csat.recordedBy'), value: `${md(entry.by.name, 80)} · ${formatDate(locale, entry.at.slice(0, 10))}` },
];

/** The low-CSAT alert to the owner's manager and the deal team, with the comment and a Plan recovery button. */
export function lowCsatCard(t: Translate, locale: Locale, deal: Deal, entry: CsatEntry, notice = '') {
  return renderCard('low-csat', {
    banner: bannerView(notice),
    heading: t('lowCsat.heading', { id: deal.id, account: mdInline(deal.account, 80) }),
    intro: t('lowCsat.intro', { owner: mdInline(deal.owner.name, 80) }),
    facts: csatFacts(t, locale, deal, entry),
    comment: entry.comment ? t('lowCsat.comment', { comment: mdInline(entry.comment, 1000) }) : '',
    recovery: entry.recovery ? t('lowCsat.recovery', { nextStep: mdInline(entry.recovery.nextStep, 300), owner: mdInline(entry.recovery.owner.name, 80) }) : '',
    dealId: deal.id,
    csatId: entry.id,
    buttons: { recover: t('lowCsat.planRecovery'), deal: t('button.openDeal') },
  });
}
