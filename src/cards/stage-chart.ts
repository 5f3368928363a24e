import type { Currency } from '../domain/money';
import type { Pipeline } from '../domain/pipeline';
import { formatMoney } from '../i18n/format';
import type { Locale, Translate } from '../i18n/locale';
import { stageLabel } from './labels';

/** The only currency of a pipeline, when it has exactly one: a bar chart never adds up different currencies. */
export const singleCurrency = (pipeline: Pipeline): Currency | undefined => {
  const currencies = Object.keys(pipeline.totals.byCurrency) as Currency[];
  return currencies.length === 1 ? currencies[0] : undefined;
};

/**
 * The bars of a Chart.VerticalBar of open NWS by stage (none when the deals are in several currencies),
 * each with the text its FactSet fallback shows on clients that draw no charts.
 */
export function stageBars(t: Translate, locale: Locale, pipeline: Pipeline) {
  const currency = singleCurrency(pipeline);
  if (!currency) return [];
  return pipeline.stages.map((s) => {
    const amount = s.totals.byCurrency[currency] ?? 0;
    return { x: stageLabel(t, s.stage), y: amount, text: t('pipeline.stageChartValue', { count: s.totals.count, total: formatMoney(locale, { amount, currency }) }) };
  });
}
