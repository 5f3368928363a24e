import type { CardVerb } from '../chat/card-verbs';
import type { PolicyReason } from '../domain/approval-policy';
import type { LevelState } from '../domain/approval';
import type { Deal } from '../domain/deal';
import { REFRESH_USERS_MAX } from '../domain/live-card';
import { formatDate, formatInstant, formatMoney, formatMoneyShort } from '../i18n/format';
import type { Locale, MessageKey, Translate } from '../i18n/locale';
import { dealStageLabel } from './labels';
import { renderCard } from './render-card';
import { md, mdInline } from './safe-text';
import { bannerView } from './banner';

const usd = (locale: Locale, amount: number) => formatMoney(locale, { amount, currency: 'USD' });

/** "NWS US$6,200,000 ≥ US$5,000,000 → Director". */
export function reasonText(t: Translate, locale: Locale, reason: PolicyReason, levelName: string): string {
  switch (reason.kind) {
    case 'nws': return t('approval.reason.nws', { amount: usd(locale, reason.amountUsd), threshold: usd(locale, reason.thresholdUsd), level: levelName });
    case 'discount': return t('approval.reason.discount', { discount: reason.discountPct, threshold: reason.thresholdPct, level: levelName });
    case 'terms': return t('approval.reason.terms', { level: levelName });
    case 'serviceLines': return t('approval.reason.serviceLines', { count: reason.count, level: levelName });
  }
}

function levelView(t: Translate, locale: Locale, level: LevelState, index: number) {
  const names = level.approvers.map((p) => mdInline(p.name, 60)).join(', ');
  const who = t(level.mode === 'any' ? 'approval.anyOf' : 'approval.allOf', { names });
  return {
    label: `${index + 1}\\. ${mdInline(level.name, 60)} (${who}) · ${t(`approval.level.${level.status}` as MessageKey)}`,
    weight: level.status === 'active' ? 'Bolder' : 'Default',
    decisions: level.decisions.map((d) => ({
      text: `${md(d.by.name, 60)}: ${t(`approval.decision.${d.decision}` as MessageKey)} · ${formatInstant(locale, d.at)}${d.comment ? ` · “${mdInline(d.comment, 300)}”` : ''}`,
    })),
  };
}

/**
 * The approval card in the managers' channel (and in an approver's chat): the deal, the policy's reasons,
 * each level with its approvers and decisions, and Approve / Reject / Request changes while pending.
 * Approvers of the active level get their own view (refresh.userIds); the base card reads on its own.
 */
export function approvalCard(t: Translate, locale: Locale, deal: Deal, notice = '', tone: 'good' | 'warning' = 'good') {
  const round = deal.approval!;
  const active = round.levels.find((l) => l.status === 'active');
  const levelName = (id: string) => round.levels.find((l) => l.id === id)?.name ?? id;
  const status = round.status === 'pending' ? t('approval.status.pending', { level: mdInline(active?.name ?? '', 60) }) : t(`approval.status.${round.status}` as MessageKey);
  const value = formatMoneyShort(locale, round.terms?.value ?? deal.value);
  const card = renderCard('approval', {
    // "Approval needed: D-1001, $6.2M, by Alex Wilber"; once decided, the decision.
    speak: round.status === 'pending'
      ? t('speak.approval.pending', { id: deal.id, value, name: mdInline(round.requestedBy.name, 60) })
      : t('speak.approval.decided', { status: t(`approval.status.${round.status}` as MessageKey), id: deal.id, value }),
    banner: bannerView({ text: notice, tone }),
    heading: t('approval.heading', { id: deal.id, account: mdInline(deal.account, 80), round: round.round }),
    title: md(deal.title),
    statusLine: status,
    statusColor: round.status === 'approved' ? 'Good' : round.status === 'pending' ? 'Accent' : 'Attention',
    facts: [
      { title: t('field.owner'), value: md(deal.owner.name, 80) },
      // What the approvers approve: the value the round was requested for (the deal may have changed since).
      { title: t('field.value'), value: formatMoney(locale, round.terms?.value ?? deal.value) },
      { title: t('field.stage'), value: dealStageLabel(t, deal) },
      { title: t('field.closeDate'), value: formatDate(locale, deal.closeDate) },
      { title: t('approval.requested'), value: `${md(round.requestedBy.name, 60)} · ${formatInstant(locale, round.requestedAt)}` },
      ...(active?.remindAt ? [{ title: t('approval.due'), value: formatInstant(locale, active.remindAt) }] : []),
    ],
    reasonsHeading: t('approval.reasonsHeading'),
    reasons: round.reasons.map((r) => ({ text: `• ${reasonText(t, locale, r, mdInline(levelName(r.levelId), 60))}` })),
    levelsHeading: t('approval.levelsHeading'),
    levels: round.levels.map((l, i) => levelView(t, locale, l, i)),
    note: round.note ? t('approval.note', { name: md(round.requestedBy.name, 60), note: mdInline(round.note, 500) }) : '',
    pending: round.status === 'pending',
    commentLabel: t('approval.comment'),
    commentPlaceholder: t('approval.commentPlaceholder'),
    dealId: deal.id,
    round: round.round,
    levelId: active?.id ?? '',
    trailCommand: { name: 'approvalTrail', ref: deal.id },
    buttons: { approve: t('button.approve'), reject: t('button.reject'), changes: t('button.requestChanges'), trail: t('button.auditTrail') },
  });
  const userIds = (active?.approvers ?? []).map((p) => p.userId).filter((id): id is string => !!id).slice(0, REFRESH_USERS_MAX);
  if (userIds.length > 0) {
    card.refresh = { action: { type: 'Action.Execute', title: t('button.refresh'), verb: 'approval.refresh' satisfies CardVerb, data: { dealId: deal.id } }, userIds };
  }
  return card;
}
