import type { AccountSummary } from '../domain/account-summary';
import { formatDate, formatMoney } from '../i18n/format';
import type { Locale, MessageKey, Translate } from '../i18n/locale';
import type { Currency } from '../domain/money';
import { dealStageLabel } from './labels';
import { renderCard } from './render-card';
import { md, mdInline } from './safe-text';

/** Open deals shown; the heading counts them all. */
export const ACCOUNT_ROWS = 15;

/**
 * The account: open deals, won NWS this fiscal year, the CSAT average and the trend of the last four
 * scores (a Chart.Line, with a FactSet as its fallback for clients that draw no charts), open low CSATs.
 */
export function accountCard(t: Translate, locale: Locale, summary: AccountSummary) {
  const trend = summary.trend.map((p, i) => ({
    x: `${i + 1}. ${formatDate(locale, p.at.slice(0, 10))}`,
    y: p.score,
    label: t('account.trendPoint', { score: p.score, id: p.dealId }),
  }));
  return renderCard('account', {
    heading: t('account.heading', { account: mdInline(summary.account, 120) }),
    openHeading: t('account.openHeading', { count: summary.openDeals.length }),
    openEmpty: t('account.openEmpty'),
    openDeals: summary.openDeals.slice(0, ACCOUNT_ROWS).map((d) => ({
      line: `**${d.id}** ${md(d.title, 80)} · ${dealStageLabel(t, d)} · ${formatMoney(locale, d.value)} · ${formatDate(locale, d.closeDate)}`,
    })),
    wonHeading: t('account.wonHeading', { year: summary.fiscalYear.label }),
    won: summary.wonThisYear.length > 0
      ? summary.wonThisYear.map((w) => t('account.wonLine', { total: formatMoney(locale, { amount: w.amount, currency: w.currency as Currency }), count: w.deals })).join(' + ')
      : t('account.wonNone'),
    csatHeading: t('account.csatHeading'),
    csatAverage: summary.csatAverage !== undefined ? t('account.csatAverage', { average: summary.csatAverage.toFixed(1), count: summary.csatCount }) : t('account.csatNone'),
    trendTitle: t('account.trendTitle'),
    trendLegend: t('account.trendLegend'),
    trend,
    lowHeading: t('account.lowHeading', { count: summary.openLow.length }),
    lowEmpty: t('account.lowEmpty'),
    openLow: summary.openLow.map(({ deal, entry }) => ({
      line: t('account.lowLine', {
        id: deal.id,
        score: entry.score,
        cos: t(`csat.cos.${entry.conditionsMet}` as MessageKey),
        comment: mdInline(entry.comment || '—', 120),
      }),
    })),
    buttons: { pipeline: t('button.myDeals') },
  });
}
