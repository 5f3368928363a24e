import type { TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { findDeal, getDeal } from '../../app/find-deal';
import { logOnDeal, NOTE_MAX } from '../../app/log-on-deal';
import { recentOpenDeals } from '../../app/recent-deals';
import { updateDeal } from '../../app/update-deal';
import { type MessageAction, pickDealDialogTask } from '../../cards/pick-deal-dialog-card';
import { mdInline } from '../../cards/safe-text';
import { errorText } from '../../chat/error-reply';
import { cardReply, textReply, type Reply, type Turn } from '../../chat/reply';
import type { ChatDeps } from '../../chat/chat-deps';
import { cleanText, NEXT_STEP_MAX } from '../../domain/deal-fields';
import { isDomainError } from '../../domain/errors';
import type { StoredDeal } from '../../ports/deal-repository.port';
import type { HandleTurn } from '../pipeline/handle-turn';
import { messageText } from '../message-text';
import { shorten } from '../../domain/shorten-text';
import { isDealId } from '../../domain/deal-ref';

/** The message actions and the longest text each takes (the field's limit). */
const MAX_LENGTH: Record<MessageAction, number> = { addNextStep: NEXT_STEP_MAX, logOnDeal: NOTE_MAX };
const COMMANDS = Object.keys(MAX_LENGTH) as MessageAction[];

type Task = ReturnType<typeof pickDealDialogTask>;

/** The route matched the command id exactly, so it is one of ours. */
const actionOf = (context: TurnContext): MessageAction => (context.activity.value as { commandId: MessageAction }).commandId;
const field = (data: Record<string, unknown>, key: string, max: number): string => (typeof data[key] === 'string' ? shorten(data[key] as string, max) : '');

/**
 * Action-based message extension commands on any Teams message (issue 9): "Add as next step" sets the
 * message's text as a deal's next step, "Log on deal" appends it to the deal's history as a note. Both
 * open a dialog to pick the deal (fetchTask) and apply it as one conditional write (submitAction),
 * answering with a confirmation or the dialog again with the reason. The actor is the activity's user.
 */
export function registerMessageActions(app: Application<TurnState>, deps: ChatDeps, handle: HandleTurn): void {
  app.messageExtensions.fetchTask(COMMANDS, async (context) => {
    const action = actionOf(context);
    let task: Task | undefined;
    const reply = await handle(context, action, async (turn) => {
      const payload = (context.activity.value as { messagePayload?: unknown } | undefined)?.messagePayload;
      const text = shorten(messageText(payload), MAX_LENGTH[action]);
      task = pickDealDialogTask(turn.t, { action, text, maxLength: MAX_LENGTH[action], deals: await recentOpenDeals(deps, turn.actor) });
      return cardReply(task.card.content);
    });
    return task && 'card' in reply ? task : 'text' in reply ? reply.text : '';
  });

  app.messageExtensions.submitAction<Record<string, unknown>>(COMMANDS, async (context, _state, data) => {
    const action = actionOf(context);
    let task: Task | undefined;
    const reply = await handle(context, action, async (turn) => {
      const form = { text: field(data, 'text', 20_000), dealId: field(data, 'dealId', 20), dealRef: field(data, 'dealRef', 120) };
      const again = async (error: string): Promise<Reply> => {
        const deals = await recentOpenDeals(deps, turn.actor);
        task = pickDealDialogTask(turn.t, { action, text: cleanText(form.text), maxLength: MAX_LENGTH[action], deals, dealId: form.dealId, dealRef: form.dealRef, error });
        return cardReply(task.card.content);
      };
      return submit(turn, deps, action, form, again);
    });
    return task && 'card' in reply ? task : 'text' in reply ? reply.text : '';
  });
}

async function submit(turn: Turn, deps: ChatDeps, action: MessageAction, form: { text: string; dealId: string; dealRef: string }, again: (error: string) => Promise<Reply>): Promise<Reply> {
  const { t } = turn;
  const text = cleanText(form.text);
  if (!text) return again(t('actions.error.emptyText'));
  if (text.length > MAX_LENGTH[action]) return again(t('actions.error.textTooLong', { max: MAX_LENGTH[action], length: text.length }));
  const ref = cleanText(form.dealRef);
  try {
    let stored: StoredDeal;
    if (ref) {
      const found = await findDeal(deps, turn.actor, ref);
      if (found.kind === 'ambiguous') return again(t('actions.error.ambiguous', { ref: mdInline(ref, 60), ids: found.matches.map((d) => d.id).join(', ') }));
      stored = found.stored;
    } else if (isDealId(form.dealId)) {
      stored = await getDeal(deps, turn.actor, form.dealId);
    } else {
      return again(t('actions.error.noDeal'));
    }
    const id = stored.deal.id;
    // One conditional write from the deal as read here; the owner check is changeDeal's.
    const deal = action === 'addNextStep'
      ? (await updateDeal(deps, turn.actor, { id, fields: [['nextStep', text]], read: stored })).deal
      : await logOnDeal(deps, turn.actor, id, text, { read: stored });
    return textReply(t(action === 'addNextStep' ? 'actions.done.nextStep' : 'actions.done.note', { id: deal.id, title: mdInline(deal.title, 80) }));
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return again(errorText(turn, e));
  }
}
