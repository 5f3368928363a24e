import type { Deal } from '../domain/deal';
import type { DeliveryPlan, FollowUp } from '../domain/delivery-plan';
import { formatDate } from '../i18n/format';
import type { Locale, MessageKey, Translate } from '../i18n/locale';
import { renderCard } from './render-card';
import { md, mdInline, plain } from './safe-text';
import { shorten } from '../domain/shorten-text';
import { bannerView } from './banner';
import { dealHeading } from './deal-heading';

export interface PlanCardOptions {
  notice?: string;
  error?: string;
  /** What the owner submitted, shown again with the error. */
  values?: { kickoff?: string; plannedEnd?: string; milestones?: string };
}

export const milestoneLines = (plan: DeliveryPlan): string => plan.milestones.map((m) => (m.date ? `${m.name} | ${m.date}` : m.name)).join('\n');

export function followUpLine(t: Translate, locale: Locale, f: FollowUp): string {
  const what = f.reason === 'milestone' ? t('followUp.reason.milestone', { name: mdInline(f.milestone ?? '', 80) }) : t(`followUp.reason.${f.reason}` as MessageKey);
  return t('plan.followUpLine', { id: f.id, what, date: formatDate(locale, f.dueAt.slice(0, 10)), status: t(`followUp.status.${f.status}` as MessageKey) });
}

/** The delivery plan of a won deal: kickoff, planned end and milestones for the owner to confirm or change. */
export function deliveryPlanCard(t: Translate, locale: Locale, deal: Deal, plan: DeliveryPlan, options: PlanCardOptions = {}) {
  const values = options.values ?? {};
  return renderCard('delivery-plan', {
    banner: bannerView(options.notice),
    error: options.error ?? '',
    heading: dealHeading(t, 'plan.heading', deal),
    intro: plan.confirmedAt ? t('plan.introConfirmed') : t('plan.intro'),
    facts: [
      { title: t('followUp.account'), value: md(deal.account, 80) },
      { title: t('followUp.owner'), value: md(deal.owner.name, 80) },
    ],
    labels: { kickoff: t('plan.kickoff'), plannedEnd: t('plan.plannedEnd'), milestones: t('plan.milestones'), required: t('plan.required') },
    placeholders: { milestones: t('plan.milestonesPlaceholder') },
    values: {
      kickoff: plain(values.kickoff ?? plan.kickoff, 20),
      plannedEnd: plain(values.plannedEnd ?? plan.plannedEnd, 20),
      milestones: shorten(values.milestones ?? milestoneLines(plan), 2000),
    },
    followUpsHeading: t('plan.followUpsHeading'),
    followUps: plan.followUps.map((f) => ({ line: followUpLine(t, locale, f) })),
    dealId: deal.id,
    rev: deal.rev,
    buttons: { save: t('plan.save'), deal: t('button.openDeal') },
  });
}
