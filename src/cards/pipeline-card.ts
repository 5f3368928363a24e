import type { Currency } from '../domain/money';
import type { Pipeline, Totals } from '../domain/pipeline';
import { formatDate, formatMoney } from '../i18n/format';
import type { Locale, Translate } from '../i18n/locale';
import { serviceLineLabel, stageLabel } from './labels';
import { renderCard } from './render-card';
import { md } from './safe-text';
import { messageCard } from './message-card';
import { stageBars } from './stage-chart';

/** "US$1,200,000 + €300,000": amounts in different currencies are listed, never added up. */
export const totalsText = (locale: Locale, totals: Totals): string =>
  (Object.entries(totals.byCurrency) as Array<[Currency, number]>)
    .map(([currency, amount]) => formatMoney(locale, { amount, currency }))
    .join(' + ') || formatMoney(locale, { amount: 0, currency: 'USD' });

/** Rows shown per stage (soonest close first); the totals always cover every deal. Keeps the card far under 100 KB. */
export const ROWS_PER_STAGE = 10;

/** The user's open deals by stage, soonest close first, with totals per stage and per service line. */
export function pipelineCard(t: Translate, locale: Locale, ownerName: string, pipeline: Pipeline) {
  if (pipeline.totals.count === 0) {
    return messageCard(t, t('pipeline.emptyText'), { heading: t('pipeline.emptyHeading'), buttons: [{ title: t('button.newDeal'), command: { name: 'newDeal' } }] });
  }
  return renderCard('pipeline', {
    heading: t('pipeline.heading', { name: md(ownerName, 80) }),
    summary: t('pipeline.summary', { count: pipeline.totals.count, total: totalsText(locale, pipeline.totals) }),
    // NWS by stage as a bar chart (one currency only), a FactSet where the client draws no charts.
    chart: { title: t('pipeline.chartTitle'), bars: stageBars(t, locale, pipeline) },
    stages: pipeline.stages.map((s) => ({
      heading: t('pipeline.stageHeading', { stage: stageLabel(t, s.stage), count: s.totals.count, total: totalsText(locale, s.totals) }),
      more: s.deals.length > ROWS_PER_STAGE ? t('pipeline.more', { count: s.deals.length - ROWS_PER_STAGE }) : '',
      deals: s.deals.slice(0, ROWS_PER_STAGE).map((d) => ({
        id: d.id,
        label: `**${d.id}** ${md(d.title, 80)} · ${md(d.account, 40)}`,
        value: formatMoney(locale, d.value),
        closes: formatDate(locale, d.closeDate),
      })),
    })),
    serviceLineHeading: t('pipeline.serviceLineHeading'),
    serviceLines: pipeline.serviceLines.map((l) => ({
      title: serviceLineLabel(t, l.serviceLine),
      value: t('pipeline.lineTotals', { count: l.totals.count, total: totalsText(locale, l.totals) }),
    })),
    buttons: { newDeal: t('button.newDeal'), help: t('button.help') },
  });
}
