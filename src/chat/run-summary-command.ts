import { todayOf } from '../app/stale-deals';
import { historyLine } from '../cards/history-text';
import { fieldLabel, stageLabel } from '../cards/labels';
import { messageCard } from '../cards/message-card';
import { md, mdInline } from '../cards/safe-text';
import type { Deal } from '../domain/deal';
import { type DealSummary, type SuggestedStep, summariseDeal } from '../domain/deal-summary';
import type { MoveTarget } from '../domain/stage';
import { OfflineSummaryWriter } from '../assistant/offline-summary-writer';
import type { DealSummaryFacts, SummaryWriter } from '../ports/update-reader.port';
import { withDeal } from './deal-replies';
import { cardReply, type Reply, type Turn } from './reply';
import type { ChatDeps } from './chat-deps';

/** How long a turn waits for the summary writer (a model's falls back to the template within it). */
export const WRITE_BUDGET_MS = 5_000;
const SUMMARY_LINES_MAX = 40;

/** What a writer wrote (a model's text is untrusted), as card markdown: each line escaped, one paragraph a line. */
const asParagraphs = (text: string) => text.split(/\n+/).map((line) => line.trim()).filter(Boolean).slice(0, SUMMARY_LINES_MAX).map((line) => md(line, 500)).join('\n\n');

const targetLabel = (turn: Turn, target: MoveTarget) => stageLabel(turn.t, target.stage, target.stage === 'Close' ? target.outcome : undefined);

function stepText(turn: Turn, deal: Deal, step: SuggestedStep): string {
  const { t } = turn;
  switch (step.kind) {
    case 'evidence': return t('summary.step.evidence', { items: step.items.map((i) => fieldLabel(t, i)).join(', '), stage: targetLabel(turn, step.target) });
    case 'closeDate': return t('summary.step.closeDate');
    case 'approval': return t('summary.step.approval');
    case 'stale': return t('summary.step.stale');
    case 'nextStep': return t('summary.step.nextStep', { nextStep: step.text });
    case 'move': return t('summary.step.move', { stage: targetLabel(turn, step.target) });
    case 'closed': return t('summary.step.closed', { stage: stageLabel(t, deal.stage, deal.outcome) });
  }
}

/** The judged summary in the reader's words: the facts a writer (template or model) may only put into sentences. */
export function summaryFacts(turn: Turn, deal: Deal, summary: DealSummary): DealSummaryFacts {
  const { t } = turn;
  const risks: DealSummaryFacts['risks'] = [];
  if (summary.unchangedDays !== undefined) risks.push({ kind: 'stale', detail: t('summary.risk.stale', { days: summary.unchangedDays }) });
  if (summary.closeDatePassed) risks.push({ kind: 'closeDatePassed', detail: t('summary.risk.closeDatePassed', { date: summary.closeDatePassed }) });
  if (summary.missing) risks.push({ kind: 'missingEvidence', detail: t('summary.risk.missingEvidence', { stage: targetLabel(turn, summary.missing.target), items: summary.missing.items.map((i) => fieldLabel(t, i)).join(', ') }) });
  if (summary.approvalWaiting) risks.push({ kind: 'approvalWaiting', detail: t('summary.risk.approvalWaiting') });
  return {
    dealId: deal.id,
    title: deal.title,
    account: deal.account,
    // History lines are markdown-escaped for cards; the facts are plain (the summary card escapes what the writer wrote).
    changes: summary.recent.map((e) => historyLine(t, turn.locale, e, deal.value.currency).replace(/\\(.)/g, '$1')),
    risks,
    suggestedNextStep: stepText(turn, deal, summary.step),
  };
}

const offlineWriter = new OfflineSummaryWriter();

/**
 * A language model only ever sees the user's own deals (issue 21 §3): the summary of a deal the user may read but is
 * neither the owner nor on the team of is written by the template, never sent to the model.
 */
export function summaryWriterFor(userId: string, deal: Pick<Deal, 'owner' | 'team'>, writer: SummaryWriter): SummaryWriter {
  const own = deal.owner.id === userId || deal.team.some((m) => m.person.id === userId);
  return own || writer.kind === 'offline' ? writer : offlineWriter;
}

/**
 * `summary <deal>` (issue 21 §4): read by whoever may read the deal (findDeal: DEAL_VISIBILITY, as `alerts <deal>`),
 * judged deterministically (domain/deal-summary.ts), written by the summary writer in the reader's language.
 */
export function runSummaryCommand(turn: Turn, deps: ChatDeps, ref: string): Promise<Reply> {
  return withDeal(turn, deps, ref, (id) => ({ name: 'summary', ref: id }), async ({ deal }) => {
    const now = deps.clock.now();
    const today = await todayOf(deps, turn.actor.tenantId, turn.actor.user.id, now);
    const facts = summaryFacts(turn, deal, summariseDeal(deal, now, today, deps.settings.schedule.staleAfterDays));
    const text = await summaryWriterFor(turn.actor.user.id, deal, deps.summaryWriter).write(facts, turn.locale, AbortSignal.timeout(WRITE_BUDGET_MS));
    return cardReply(messageCard(turn.t, asParagraphs(text), {
      heading: turn.t('summary.heading', { id: deal.id, title: mdInline(deal.title, 80) }),
      buttons: [{ title: turn.t('summary.openDeal'), command: { name: 'showDeal', ref: deal.id } }, { title: turn.t('summary.history'), command: { name: 'history', ref: deal.id } }],
    }));
  });
}
