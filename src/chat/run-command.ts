import { showPipeline } from '../app/show-pipeline';
import { updateDeal } from '../app/update-deal';
import { dealFormCard } from '../cards/deal-form-card';
import { helpCard } from '../cards/help-card';
import { fieldLabel } from '../cards/labels';
import { messageCard } from '../cards/message-card';
import { historyCard } from '../cards/history-card';
import { crmSyncCard } from '../cards/crm-sync-card';
import { pipelineCard } from '../cards/pipeline-card';
import { parseField } from '../domain/set-deal-field';
import { parseMoveTarget } from '../domain/stage';
import type { MessageKey } from '../i18n/locale';
import type { ChatDeps } from './chat-deps';
import type { Command } from './command';
import { parseCommand } from './parse-command';
import { dealReply, moveReply, savedReply, withDeal } from './deal-replies';
import { cardReply, type Reply, type Turn } from './reply';
import { runTeamCommand } from './run-team-command';
import { runApprovalCommand } from './run-approval-command';
import { runFollowUpCommand } from './run-follow-up-command';
import { runNudgeCommand } from './run-nudge-command';
import { runQuotaCommand } from './run-quota-command';
import { runReassignCommand } from './run-reassign-command';
import { runLanguageCommand } from './run-language-command';
import { runSummaryCommand } from './run-summary-command';

/** Answers one typed command. Domain errors propagate to the caller, which words them. */
export async function runCommand(turn: Turn, deps: ChatDeps, command: Command): Promise<Reply> {
  const { t } = turn;
  switch (command.name) {
    case 'help':
      return cardReply(helpCard(t));
    case 'newDeal':
      return cardReply(dealFormCard(t, {}));
    case 'followUp':
      return runFollowUpCommand(turn, deps, command.command);
    case 'nudge':
      return runNudgeCommand(turn, deps, command.command);
    case 'quota':
      return runQuotaCommand(turn, deps, command.command);
    case 'reassign':
      return runReassignCommand(turn, deps, command.command);
    case 'pipeline':
      return cardReply(pipelineCard(t, turn.locale, turn.actor.user.name, await showPipeline(deps, turn.actor)));
    case 'showDeal':
      return withDeal(turn, deps, command.ref, (id) => ({ ...command, ref: id }), async ({ deal }) => dealReply(turn, deal));
    case 'history':
      // The newest page: the deal holds it (older pages, from the archive, come with the card's buttons).
      return withDeal(turn, deps, command.ref, (id) => ({ ...command, ref: id }), async ({ deal }) => cardReply(historyCard(t, turn.locale, deal)));
    case 'sync':
      // Whoever may read the deal may see where its changes stand with the CRM (getDeal: DEAL_VISIBILITY).
      return withDeal(turn, deps, command.ref, (id) => ({ ...command, ref: id }), async ({ deal }) => cardReply(crmSyncCard(t, turn.locale, deal, deps.settings.crmSync === true)));
    case 'summary':
      return runSummaryCommand(turn, deps, command.ref);
    case 'move': {
      const target = parseMoveTarget(command.target);
      return withDeal(turn, deps, command.ref, (id) => ({ ...command, ref: id }), (stored) =>
        moveReply(turn, deps, { id: stored.deal.id, read: stored, target, input: { note: command.note } }));
    }
    case 'close': {
      const target = { stage: 'Close', outcome: command.outcome === 'won' ? 'Won' : 'Lost' } as const;
      return withDeal(turn, deps, command.ref, (id) => ({ ...command, ref: id }), (stored) =>
        moveReply(turn, deps, { id: stored.deal.id, read: stored, target, input: { note: command.reason } }));
    }
    case 'set': {
      const field = parseField(command.field);
      return withDeal(turn, deps, command.ref, (id) => ({ ...command, ref: id }), async (stored) => {
        // From the deal as found: one read and one conditional write in all.
        const updated = await updateDeal(deps, turn.actor, { id: stored.deal.id, fields: [[field, command.value]], read: stored });
        if (updated.kind === 'unchanged') return dealReply(turn, updated.deal, { text: t('notice.unchanged'), tone: 'good' });
        return savedReply(turn, updated.deal, t('notice.updated', { field: fieldLabel(t, field) }));
      });
    }
    case 'team': case 'addMember': case 'removeMember': case 'follow': case 'unfollow': case 'following': case 'mute': case 'alertsSwitch': case 'alertStatus':
      return runTeamCommand(turn, deps, command);
    case 'approvalsHere': case 'approvers': case 'setApprovers': case 'requestApproval': case 'approvalTrail':
      return runApprovalCommand(turn, deps, command);
    case 'language':
      return runLanguageCommand(turn, deps, command.choice);
    case 'usage':
      return cardReply(messageCard(t, t(`usage.${command.of}` as MessageKey)));
    case 'unknown':
      return cardReply(
        messageCard(t, command.suggestion ? t('reply.unknownWithSuggestion', { suggestion: command.suggestion }) : t('reply.unknown'), {
          buttons: command.suggestion && ['help', 'new deal', 'my deals', 'pipeline', 'following'].includes(command.suggestion) ? [{ title: command.suggestion, command: parseCommand(command.suggestion) }] : [],
        }),
      );
  }
}
