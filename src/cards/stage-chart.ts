import type { Currency } from '../domain/money';
import type { Pipeline } from '../domain/pipeline';
import { formatMoney, formatMoneyShort } from '../i18n/format';
import type { Locale, Translate } from '../i18n/locale';
import { stageLabel } from './labels';

/** The only currency of a pipeline, when it has exactly one: a bar chart never adds up different currencies. */
export const singleCurrency = (pipeline: Pipeline): Currency | undefined => {
  const currencies = Object.keys(pipeline.totals.byCurrency) as Currency[];
  return currencies.length === 1 ? currencies[0] : undefined;
};

/**
 * The bars of a Chart.VerticalBar of open NWS by stage (none when the deals are in several currencies),
 * each with the text its FactSet fallback shows on clients that draw no charts. A chart's values are bare numbers
 * Teams prints as it likes ("1200000", an axis in "1200k"): the template shows none of them, and each bar's label
 * carries its amount in the short money format ("Solution · $1.2M" / "方案 · US$120万").
 */
export function stageBars(t: Translate, locale: Locale, pipeline: Pipeline) {
  const currency = singleCurrency(pipeline);
  if (!currency) return [];
  return pipeline.stages.map((s) => {
    const amount = s.totals.byCurrency[currency] ?? 0;
    return { x: `${stageLabel(t, s.stage)} · ${formatMoneyShort(locale, { amount, currency })}`, y: amount, text: t('pipeline.stageChartValue', { count: s.totals.count, total: formatMoney(locale, { amount, currency }) }) };
  });
}
