import type { ApprovalGap } from '../domain/approval-rule';
import type { Deal } from '../domain/deal';
import type { GateItem } from '../domain/stage-gate';
import type { MoveTarget } from '../domain/stage';
import { formatMoney } from '../i18n/format';
import type { MessageKey, Translate } from '../i18n/locale';
import { approvalGateLine } from './approval-gate-text';
import { fieldLabel, stageLabel } from './labels';
import { md, plain } from './safe-text';
import { renderCard } from './render-card';

/** How a move target travels in card data: a stage name, or Won / Lost. */
export const targetKey = (target: MoveTarget): string => (target.stage === 'Close' ? target.outcome : target.stage);

/** What a refused move lacks, for the gate card. */
export interface GateNeeds {
  missing: readonly GateItem[];
  reason: boolean;
  error?: string;
  values?: Record<string, string>;
  /** Why approval is missing (from the refusal), when it is. */
  approval?: ApprovalGap;
  /** The final NWS value the owner closes at, when it is a valid amount. */
  closingAmount?: number;
  /** Evidence the owner typed that was stored on the deal (the close waits for its approval). */
  saved?: readonly GateItem[];
}

/** The order a gate asks in: the evidence of each stage, then the final value. */
const ASKED: readonly GateItem[] = ['bdm', 'tdm', 'budget', 'solutionOutline', 'proposalRef', 'finalValue'];

/**
 * Asks for exactly what a move lacks: the gate's evidence, the final NWS value, or a reason; and, for a
 * complex deal closing Won, why approval is needed, with the Request approval offer.
 * Submitting it completes the move.
 */
export function stageGateCard(t: Translate, locale: Parameters<typeof formatMoney>[0], deal: Deal, target: MoveTarget, needs: GateNeeds) {
  const stage = stageLabel(t, target.stage, target.stage === 'Close' ? target.outcome : undefined);
  const prefill = (item: GateItem) => needs.values?.[item] ?? (item === 'finalValue' ? String(deal.value.amount) : '');
  const needsApproval = needs.missing.includes('approval');
  // While its approval is under way a Won close cannot succeed: no form and no Move button, one line saying why.
  const waiting = needsApproval && deal.approval?.status === 'pending';
  const approval = needsApproval ? approvalGateLine(t, locale, deal, needs.approval, needs.closingAmount) : { text: '', button: '', value: '' };
  // Without a covering approval a Won close is refused however the form is filled: the only way on is Request
  // approval, which takes what is typed along (stored in the write that starts the round). No Move button then,
  // and no input is required, or Teams would refuse to send the request until the whole form is filled in.
  const requestFirst = needsApproval && !waiting && approval.button !== '';
  // What the owner typed stays on the form with what is still missing, for the next try.
  const asked = waiting ? [] : ASKED.filter((item) => needs.missing.includes(item) || (needs.values?.[item] ?? '').trim() !== '');
  const inputs: Array<{ id: string; label: string; placeholder: string; value: string; required: boolean; errorMessage: string; multiline: boolean }> = asked.map((item) => ({
    id: item,
    label: fieldLabel(t, item),
    placeholder: t(`gate.placeholder.${item}` as MessageKey, { value: formatMoney(locale, deal.value) }),
    value: plain(prefill(item)),
    required: !requestFirst,
    errorMessage: t('form.required'),
    multiline: item === 'solutionOutline',
  }));
  if (needs.reason && !waiting) {
    inputs.push({ id: 'note', label: t('field.reason'), placeholder: t('gate.placeholder.reason'), value: plain(needs.values?.note ?? ''), required: !requestFirst, errorMessage: t('form.required'), multiline: false });
  }
  return renderCard('stage-gate', {
    heading: t('gate.heading', { id: deal.id, stage }),
    intro: waiting ? ''
      : requestFirst ? closingNeeds(t, deal, needs.missing)
      : needs.missing.length > 0 ? t('gate.intro', { title: md(deal.title, 120), items: needs.missing.map((i) => fieldLabel(t, i)).join(', ') })
      : t('gate.reasonIntro', { title: md(deal.title, 120) }),
    error: needs.error ?? '',
    saved: needs.saved?.length ? t('gate.saved', { items: needs.saved.map((i) => fieldLabel(t, i)).join(', ') }) : '',
    approval,
    inputs,
    dealId: deal.id,
    rev: deal.rev,
    target: targetKey(target),
    submit: waiting || requestFirst ? '' : t('gate.submit', { stage }),
    trail: waiting ? t('button.auditTrail') : '',
    trailCommand: { name: 'approvalTrail', ref: deal.id },
    cancel: t(waiting ? 'button.openDeal' : 'button.cancel'),
  });
}

/** What closing Won will still need once approved, and that the request keeps what is typed now. */
function closingNeeds(t: Translate, deal: Deal, missing: readonly GateItem[]): string {
  const items = missing.filter((item) => item !== 'approval').map((item) => fieldLabel(t, item));
  return items.length === 0 ? t('gate.requestFirst') : t('gate.requestFirstNeeds', { title: md(deal.title, 120), items: items.join(', ') });
}
