import type { Deal } from '../domain/deal';
import { CONDITIONS } from '../domain/csat';
import type { FollowUp } from '../domain/delivery-plan';
import { formatDate } from '../i18n/format';
import type { Locale, MessageKey, Translate } from '../i18n/locale';
import { renderCard } from './render-card';
import { md, mdInline, plain } from './safe-text';
import { bannerView } from './banner';
import { dealHeading } from './deal-heading';

export interface CsatCardOptions {
  notice?: string;
  error?: string;
  values?: { score?: string; conditionsMet?: string; comment?: string };
}

/** What a follow-up is about, in words: "30 days after kickoff", "milestone Go-live", "planned end". */
export function followUpSubject(t: Translate, followUp: FollowUp | undefined): string {
  if (!followUp) return t('followUp.reason.adHoc');
  return followUp.reason === 'milestone' ? t('followUp.reason.milestone', { name: mdInline(followUp.milestone ?? '', 80) }) : t(`followUp.reason.${followUp.reason}` as MessageKey);
}

/**
 * The CSAT card: the account and deal, the milestone, a score 1–5, conditions of satisfaction met
 * (yes / partly / no) and a comment. Record stores it; Snooze a week (for an asked follow-up) postpones it.
 */
export function csatCard(t: Translate, locale: Locale, deal: Deal, followUp: FollowUp | undefined, options: CsatCardOptions = {}) {
  const values = options.values ?? {};
  return renderCard('csat', {
    banner: bannerView(options.notice),
    error: options.error ?? '',
    heading: dealHeading(t, 'csat.heading', deal),
    intro: t('csat.intro'),
    facts: [
      { title: t('followUp.account'), value: md(deal.account, 80) },
      { title: t('followUp.deal'), value: `${deal.id} · ${md(deal.title, 80)}` },
      { title: t('followUp.milestone'), value: followUpSubject(t, followUp) },
      ...(followUp ? [{ title: t('followUp.due'), value: formatDate(locale, followUp.dueAt.slice(0, 10)) }] : []),
    ],
    labels: { score: t('csat.score'), conditionsMet: t('csat.conditionsMet'), comment: t('csat.comment'), required: t('plan.required') },
    placeholders: { comment: t('csat.commentPlaceholder') },
    values: { score: plain(values.score ?? '', 5), conditionsMet: plain(values.conditionsMet ?? '', 10), comment: plain(values.comment ?? '', 1000) },
    scoreChoices: [1, 2, 3, 4, 5].map((n) => ({ title: t(`csat.score.${n}` as MessageKey), value: String(n) })),
    conditionChoices: CONDITIONS.map((c) => ({ title: t(`csat.cos.${c}` as MessageKey), value: c })),
    dealId: deal.id,
    followUpId: followUp?.id ?? '',
    rev: deal.rev,
    buttons: { record: t('csat.record'), snooze: t('csat.snooze'), deal: t('button.openDeal') },
  });
}
