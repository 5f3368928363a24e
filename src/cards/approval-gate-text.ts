import type { ApprovalRound, ApprovalTerms } from '../domain/approval';
import { type ApprovalGap, approvalTermsOf } from '../domain/approval-rule';
import { type Deal, isOpen } from '../domain/deal';
import { formatInstant, formatMoney } from '../i18n/format';
import type { Locale, Translate } from '../i18n/locale';
import { serviceLineLabel } from './labels';
import { mdInline } from './safe-text';

/** The terms in which two differ, each side in the user's words: ["NWS $1,200,000", "NWS $4,900,000"]. */
export function termsDifference(t: Translate, locale: Locale, from: ApprovalTerms, to: ApprovalTerms): [string, string] {
  const parts: Array<[string, string]> = [];
  if (from.value.amount !== to.value.amount || from.value.currency !== to.value.currency) {
    parts.push([t('terms.value', { value: formatMoney(locale, from.value) }), t('terms.value', { value: formatMoney(locale, to.value) })]);
  }
  if (from.discountPct !== to.discountPct) parts.push([t('terms.discount', { pct: from.discountPct }), t('terms.discount', { pct: to.discountPct })]);
  const terms = (text: string) => (text ? t('terms.nonStandard', { terms: mdInline(text, 80) }) : t('terms.standard'));
  if (from.nonStandardTerms !== to.nonStandardTerms) parts.push([terms(from.nonStandardTerms), terms(to.nonStandardTerms)]);
  const lines = (x: ApprovalTerms) => t('terms.serviceLines', { lines: x.serviceLines.map((l) => serviceLineLabel(t, l)).join(', ') });
  if ([...from.serviceLines].sort().join() !== [...to.serviceLines].sort().join()) parts.push([lines(from), lines(to)]);
  const separator = t('terms.separator');
  return [parts.map((p) => p[0]).join(separator), parts.map((p) => p[1]).join(separator)];
}

/** The level a round under way waits for, in the user's words: "1 · Services manager", "any one of: Megan Bowen", since when. */
function waitingFor(t: Translate, locale: Locale, round: ApprovalRound): { level: string; approvers: string; since: string } | undefined {
  const index = round.levels.findIndex((l) => l.status === 'active');
  const level = round.levels[index];
  if (!level) return undefined;
  const names = level.approvers.map((p) => mdInline(p.name, 60)).join(', ');
  return {
    level: `${index + 1} · ${mdInline(level.name, 60)}`,
    approvers: t(level.mode === 'any' ? 'approval.anyOf' : 'approval.allOf', { names }),
    since: formatInstant(locale, level.startedAt ?? round.requestedAt),
  };
}

export interface ApprovalLine {
  text: string;
  /** The Request approval button's title ('' for none) and the value it asks approval at ('' for the deal's own). */
  button: string;
  value: string;
}

/**
 * The stage gate's approval line: why closing Won needs approval (none yet, one under way, one for other
 * terms, for unrecorded terms, or at fewer levels), and the Request approval offer. When the owner closes at
 * a final value other than the deal's, the offer asks approval at that value (one write sets it and asks).
 */
export function approvalGateLine(t: Translate, locale: Locale, deal: Deal, gap: ApprovalGap | undefined, closingAmount: number | undefined): ApprovalLine {
  const closing = approvalTermsOf({ ...deal, value: { ...deal.value, amount: closingAmount ?? deal.value.amount } });
  const round = deal.approval;
  const id = deal.id;
  const text = (() => {
    const asked = round?.terms ? termsDifference(t, locale, round.terms, closing) : ['', ''];
    const waiting = round?.status === 'pending' ? waitingFor(t, locale, round) : undefined;
    switch (gap ?? (round?.status === 'pending' ? 'pending' : 'none')) {
      case 'pending': return waiting ? t('gate.approvalWaiting', { id, ...waiting }) : t('gate.approvalNeeded', { id, status: t('gate.approvalPending') });
      // A round of older data does not say which terms it is for: it will cover none.
      case 'pendingOtherTerms':
        if (!round?.terms) return t('gate.approvalUnrecorded', { id });
        return waiting ? t('gate.approvalWaitingOtherTerms', { id, approved: asked[0], ...waiting }) : t('gate.approvalNeeded', { id, status: t('gate.approvalPendingOtherTerms', { approved: asked[0] }) });
      case 'otherTerms': return t('gate.approvalOtherTerms', { id, approved: asked[0], terms: asked[1] });
      case 'unrecorded': return t('gate.approvalUnrecorded', { id });
      case 'moreLevels': return t('gate.approvalMoreLevels', { id });
      default: return t('gate.approvalNeeded', { id, status: '' });
    }
  })();
  // A request while one is under way, or on a closed deal, could only be refused: no button then.
  if (round?.status === 'pending' || !isOpen(deal)) return { text, button: '', value: '' };
  if (closing.value.amount === deal.value.amount) return { text, button: t('button.requestApproval'), value: '' };
  return { text, button: t('button.requestApprovalAt', { value: formatMoney(locale, closing.value) }), value: String(closing.value.amount) };
}
