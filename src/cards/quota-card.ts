import type { Currency } from '../domain/money';
import type { QuotaStatus } from '../domain/quota';
import { formatMoney } from '../i18n/format';
import type { Locale, Translate } from '../i18n/locale';
import { renderCard } from './render-card';
import { md } from './safe-text';

const money = (locale: Locale, currency: Currency, amount: number) => formatMoney(locale, { amount, currency });
const pct = (value: number | undefined) => (value === undefined ? '–' : `${value}%`);

/**
 * The attainment gauge's view (Chart.Gauge, 0 to at least 100 %), with the text its FactSet fallback shows
 * on clients that draw no charts.
 */
export function attainmentGauge(t: Translate, locale: Locale, status: QuotaStatus) {
  const value = status.attainment.total ?? 0;
  const won = status.won.pg1 + status.won.pg2;
  const target = (status.quota?.pg1.amount ?? 0) + (status.quota?.pg2.amount ?? 0);
  return {
    title: t('quota.gaugeTitle'),
    value,
    max: Math.max(100, Math.ceil(value / 50) * 50),
    subLabel: t('quota.gaugeSubLabel', { won: money(locale, status.currency, won), target: money(locale, status.currency, target) }),
    text: t('quota.gaugeText', { percent: pct(status.attainment.total), won: money(locale, status.currency, won), target: money(locale, status.currency, target) }),
    segments: [
      { size: 50, color: 'attention', legend: t('quota.segment.behind') },
      { size: 30, color: 'warning', legend: t('quota.segment.close') },
      { size: 20, color: 'good', legend: t('quota.segment.onTrack') },
    ],
  };
}

/** Target, won NWS, attainment and gap per product group, and the weighted pipeline: the rows a quota card and a digest show. */
export function quotaFacts(t: Translate, locale: Locale, status: QuotaStatus) {
  const m = (amount: number) => money(locale, status.currency, amount);
  const facts = [];
  for (const pg of ['pg1', 'pg2'] as const) {
    const label = t(pg === 'pg1' ? 'quota.pg1' : 'quota.pg2');
    if (status.quota) {
      facts.push({ title: t('quota.fact.target', { pg: label }), value: m(status.quota[pg].amount) });
      facts.push({ title: t('quota.fact.won', { pg: label }), value: t('quota.wonValue', { amount: m(status.won[pg]), percent: pct(status.attainment[pg]) }) });
      facts.push({ title: t('quota.fact.gap', { pg: label }), value: m(status.gap[pg] ?? 0) });
    } else {
      facts.push({ title: t('quota.fact.won', { pg: label }), value: m(status.won[pg]) });
    }
    facts.push({ title: t('quota.fact.weighted', { pg: label }), value: t('quota.weightedValue', { weighted: m(status.weighted[pg]), open: m(status.open[pg]) }) });
  }
  return facts;
}

/** `quota`: where the person stands against this fiscal year's targets. */
export function quotaCard(t: Translate, locale: Locale, name: string, status: QuotaStatus, notice = '') {
  const hasTarget = !!status.quota;
  const otherCurrency = status.otherCurrency > 0 ? t('quota.otherCurrency', { count: status.otherCurrency, currency: status.currency }) : '';
  return renderCard('quota', {
    heading: t('quota.heading', { name: md(name, 80), fy: status.fiscalYear.label }),
    summary: notice || (hasTarget ? t('quota.summary', { percent: pct(status.attainment.total), gap: money(locale, status.currency, status.gap.total ?? 0) }) : t('quota.noTarget', { fy: status.fiscalYear.label })),
    hasTarget,
    gauge: attainmentGauge(t, locale, status),
    facts: quotaFacts(t, locale, status),
    note: [t('quota.mapping'), otherCurrency].filter(Boolean).join(' '),
    buttons: { pipeline: t('quota.button.pipeline'), help: t('button.help') },
  });
}
