import type { NudgeRow, NudgeRowState } from '../domain/stale-deal';
import { formatMoney } from '../i18n/format';
import type { Locale, Translate } from '../i18n/locale';
import { type Banner, bannerView } from './banner';
import { stageLabel } from './labels';
import { renderCard } from './render-card';
import { md } from './safe-text';

export type { NudgeRow };

/** "12 Nov" / "11月12日": a calendar date (YYYY-MM-DD) or an instant's UTC date, without the year. */
export function shortDate(locale: Locale, date: string): string {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  return new Intl.DateTimeFormat(locale === 'en-US' ? 'en-GB' : locale, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

function statusOf(t: Translate, locale: Locale, state: NudgeRowState): { status: string; statusColor: string } {
  switch (state.kind) {
    case 'stale':
      return {
        status: state.reason.kind === 'closeDatePassed' ? t('nudge.reason.closeDatePassed', { date: shortDate(locale, state.reason.closeDate) }) : t('nudge.reason.unchanged', { days: state.reason.days }),
        statusColor: 'Warning',
      };
    case 'pushed':
      return { status: t('nudge.fixed.pushed', { date: shortDate(locale, state.closeDate) }), statusColor: 'Good' };
    case 'snoozed':
      return { status: t('nudge.fixed.snoozed', { date: shortDate(locale, state.until) }), statusColor: 'Good' };
    case 'closed':
      return { status: t('nudge.fixed.closed', { stage: stageLabel(t, 'Close', state.outcome) }), statusColor: 'Good' };
    case 'upToDate':
      return { status: t('nudge.fixed.upToDate'), statusColor: 'Good' };
  }
}

/**
 * The stale-deal nudge: one row per deal, why it is stale, and one-click fixes. Every button carries the
 * ids of all the card's deals (`deals`), so a press answers with this card rebuilt from the current deals.
 */
export function nudgeCard(t: Translate, locale: Locale, rows: readonly NudgeRow[], options: { notice?: Banner; staleAfterDays: number }) {
  const deals = rows.map((r) => r.deal.id).join(',');
  const open = rows.filter((r) => r.state.kind === 'stale').length;
  const buttons = { push: t('nudge.button.push'), snooze: t('nudge.button.snooze'), stage: t('nudge.button.stage'), closeLost: t('nudge.button.closeLost') };
  return renderCard('nudge', {
    banner: bannerView(options.notice),
    heading: t('nudge.heading'),
    summary: rows.length === 0 ? t('nudge.none', { days: options.staleAfterDays }) : open > 0 ? t('nudge.summary', { count: open }) : t('nudge.summaryDone'),
    rows: rows.map(({ deal, state, rev }) => ({
      id: deal.id,
      rev: rev ?? deal.rev,
      deals,
      title: `${deal.id} · ${md(deal.title, 120)}`,
      detail: `${md(deal.account, 120)} · ${formatMoney(locale, deal.value)}`,
      ...statusOf(t, locale, state),
      fixable: state.kind === 'stale',
      buttons,
    })),
    buttons: { pipeline: t('button.myDeals'), help: t('button.help') },
  });
}
