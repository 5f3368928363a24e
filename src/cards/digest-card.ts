import type { CsatEntry } from '../domain/delivery-plan';
import { countOf, DIGEST_ROWS, type DigestDeal, type WeeklyDigest } from '../domain/digest';
import { formatDate, formatMoney } from '../i18n/format';
import type { Locale, Translate } from '../i18n/locale';
import { historyLine } from './history-text';
import { stageLabel } from './labels';
import { totalsText } from './pipeline-card';
import { attainmentGauge } from './quota-card';
import { teamRows } from './my-team-card';
import { renderCard } from './render-card';
import { stageBars } from './stage-chart';
import { md } from './safe-text';

/** What the digest card draws: the domain's weekly digest of one person. */
export type DigestView = WeeklyDigest;

const dealLabel = (deal: DigestDeal) => `**${deal.id}** ${md(deal.title, 60)}`;

/** A section: its first DIGEST_ROWS lines of `count` (a queued digest holds no more than those, digestToSend). */
function section(t: Translate, heading: string, lines: string[], empty: string, count = lines.length) {
  const shown = lines.slice(0, DIGEST_ROWS).map((text) => ({ text }));
  if (count > DIGEST_ROWS) shown.push({ text: t('digest.more', { count: count - DIGEST_ROWS }) });
  return { heading: `${heading} (${count})`, lines: shown, empty };
}

/** The weekly digest (and `digest` on demand): pipeline by stage, last week's changes, closing soon, stale, attainment; a manager's adds the team. */
export function digestCard(t: Translate, locale: Locale, view: DigestView) {
  const { digest, status } = view;
  const sections = [
    section(t, t('digest.changed'), digest.changed.map(({ deal, entry }) => `${dealLabel(deal)} · ${historyLine(t, locale, entry, deal.value.currency)}`), t('digest.changedNone'), countOf(view, 'changed', digest.changed)),
    section(t, t('digest.closing'), digest.closing.map((d) => t('digest.dealLine', { deal: dealLabel(d), value: formatMoney(locale, d.value), date: formatDate(locale, d.closeDate) })), t('digest.closingNone'), countOf(view, 'closing', digest.closing)),
    section(t, t('digest.stale'), digest.stale.map((d) => t('digest.dealLine', { deal: dealLabel(d), value: formatMoney(locale, d.value), date: formatDate(locale, d.closeDate) })), t('digest.staleNone'), countOf(view, 'stale', digest.stale)),
  ];
  if (view.manager) {
    const { team, approvals, lowCsat } = view.manager;
    sections.push(section(t, t('digest.team'), teamRows(t, locale, team).map((r) => t('digest.teamLine', r)), t('myTeam.empty'), countOf(view, 'team', team)));
    sections.push(section(t, t('digest.approvals'), approvals.map((d) => t('digest.approvalLine', { deal: dealLabel(d), owner: md(d.owner.name, 80), value: formatMoney(locale, d.value) })), t('digest.approvalsNone'), countOf(view, 'approvals', approvals)));
    sections.push(section(t, t('digest.lowCsat'), lowCsat.map(({ deal, entry }) => t('digest.csatLine', { deal: dealLabel(deal), score: entry.score, comment: md(entry.comment, 120) })), t('digest.lowCsatNone'), countOf(view, 'lowCsat', lowCsat)));
  }
  return renderCard('digest', {
    heading: t('digest.heading', { name: md(view.name, 80), week: view.week }),
    summary: digest.pipeline.totals.count > 0 ? t('pipeline.summary', { count: digest.pipeline.totals.count, total: totalsText(locale, digest.pipeline.totals) }) : t('pipeline.emptyText'),
    chart: { title: t('pipeline.chartTitle'), bars: stageBars(t, locale, digest.pipeline) },
    stages: digest.pipeline.stages.map((s) => ({ title: stageLabel(t, s.stage), value: t('pipeline.stageChartValue', { count: s.totals.count, total: totalsText(locale, s.totals) }) })),
    hasTarget: !!status.quota,
    gauge: attainmentGauge(t, locale, status),
    sections,
    buttons: { pipeline: t('quota.button.pipeline'), quota: t('myTeam.button.quota') },
  });
}
