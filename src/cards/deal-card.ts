import { approvedForOtherTerms } from '../domain/approval-rule';
import { type Deal, isOpen } from '../domain/deal';
import { EVIDENCE_KEYS } from '../domain/evidence';
import { REFRESH_USERS_MAX } from '../domain/live-card';
import { nextStage } from '../domain/stage';
import { formatDate, formatMoney } from '../i18n/format';
import type { Locale, Translate } from '../i18n/locale';
import { historyLine } from './history-text';
import { dealStageLabel, fieldLabel, serviceLineLabel, stageLabel } from './labels';
import { type Banner, bannerView } from './banner';
import { renderCard } from './render-card';
import { md } from './safe-text';

export const HISTORY_SHOWN = 5;

/** The approval's state; on an open deal, an approval of terms it no longer has is said to be one. */
const approvalStatus = (t: Translate, deal: Deal): string =>
  deal.approval?.status === 'pending' ? t('approval.status.pendingShort')
  : isOpen(deal) && approvedForOtherTerms(deal) ? t('approval.status.approvedOtherTerms')
  : t(`approval.status.${deal.approval!.status}`);

export interface DealCardOptions {
  /**
   * Teams user ids (`29:…`) whose copy refreshes itself when they open it (see app/live-card-viewers.ts:
   * the owner and the deal team). The owner's and the team's ids the deal already carries are always listed.
   */
  viewers?: readonly string[];
}

/**
 * The deal card: what it is, where it stands, what changed last, and buttons that act on it. It is live:
 * its `refresh` (verb deal.refresh) fetches the current deal whenever a listed viewer opens it, and
 * anyone can refresh it from the card's menu; every button carries the revision it shows (`rev`), so a
 * press on an old copy is answered with the current deal and changes nothing.
 */
export function dealCard(t: Translate, locale: Locale, deal: Deal, notice?: Banner, options: DealCardOptions = {}) {
  const open = isOpen(deal);
  const next = nextStage(deal.stage);
  const facts = [
    { title: t('field.account'), value: md(deal.account) },
    { title: t('field.owner'), value: md(deal.owner.name) },
    { title: t('field.stage'), value: dealStageLabel(t, deal) },
    { title: t('field.value'), value: formatMoney(locale, deal.value) },
    { title: t('field.closeDate'), value: formatDate(locale, deal.closeDate) },
    { title: t('field.probability'), value: `${deal.probability}%` },
    { title: t('field.nextStep'), value: deal.nextStep ? md(deal.nextStep) : '—' },
    { title: t('field.serviceLines'), value: deal.serviceLines.map((l) => serviceLineLabel(t, l)).join(', ') },
    ...(deal.discountPct > 0 ? [{ title: t('field.discountPct'), value: `${deal.discountPct}%` }] : []),
    ...(deal.nonStandardTerms ? [{ title: t('field.nonStandardTerms'), value: md(deal.nonStandardTerms) }] : []),
    ...(deal.approval ? [{ title: t('field.approval'), value: approvalStatus(t, deal) }] : []),
    ...(deal.closeReason ? [{ title: t('field.closeReason'), value: md(deal.closeReason) }] : []),
  ];
  const card = renderCard('deal', {
    id: deal.id,
    rev: deal.rev,
    badge: `${deal.id} · ${dealStageLabel(t, deal)}`,
    title: md(deal.title),
    banner: bannerView(notice),
    facts,
    // BDM, TDM, budget, outline and proposal: on the card, folded away until asked for.
    evidence: {
      toggle: t('deal.evidenceToggle'),
      facts: EVIDENCE_KEYS.map((key) => ({ title: fieldLabel(t, key), value: deal.evidence[key] ? md(deal.evidence[key]!) : '—' })),
    },
    historyHeading: t('deal.historyHeading'),
    history: deal.history.slice(-HISTORY_SHOWN).reverse().map((entry) => ({ text: historyLine(t, locale, entry, deal.value.currency) })),
    buttons: {
      advance: open && next && next !== 'Close' ? t('button.advance', { stage: stageLabel(t, next) }) : '',
      edit: open ? t('button.edit') : '',
      // Closing Won waits for an approval under way: a Close won button then could only be refused.
      closeWon: open && deal.approval?.status !== 'pending' ? t('button.closeWon') : '',
      closeLost: open ? t('button.closeLost') : '',
      pipeline: t('button.myDeals'),
      refresh: t('button.refresh'),
    },
  });
  const known = [deal.owner.userId, ...(deal.team ?? []).map((m) => m.person.userId), ...(options.viewers ?? [])];
  const userIds = [...new Set(known.filter((id): id is string => typeof id === 'string' && id.length > 0))].slice(0, REFRESH_USERS_MAX);
  const refresh = card.refresh as { userIds?: string[] } | undefined;
  if (refresh && userIds.length > 0) refresh.userIds = userIds;
  return card;
}
