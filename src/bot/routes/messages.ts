import { ActivityTypes } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { parseCommand } from '../../chat/parse-command';
import { proposeUpdate } from '../../chat/propose-update';
import { readableText } from '../../chat/readable-text';
import type { ChatDeps } from '../../chat/chat-deps';
import { runCommand } from '../../chat/run-command';
import type { HandleTurn } from '../pipeline/handle-turn';
import { note } from '../pipeline/turn-note';
import { sendReply } from '../send-reply';

/** A message: a command in the user's words, answered in the chat; anything else maybe an update to propose. */
export function routeMessages(app: Application<TurnState>, deps: ChatDeps, handle: HandleTurn): void {
  app.activity(ActivityTypes.Message, async (context) => {
    const text = typeof context.activity.text === 'string' ? context.activity.text : '';
    // A card the user shared into the chat (say, a deal card from the compose-box search) with no words of their
    // own is not a command: no "I didn't get that" for it.
    if (!text.replace(/<[^>]*>/g, '').trim() && (context.activity.attachments?.length ?? 0) > 0) {
      note(context, { command: 'sharedCard' });
      return;
    }
    await sendReply(context, await handle(context, undefined, (turn) => {
      const command = parseCommand(readableText(text));
      note(context, { command: command.name });
      // Not a command: maybe an update in the user's own words, to propose (issue 21).
      return command.name === 'unknown' ? proposeUpdate(turn, deps, readableText(text), command) : runCommand(turn, deps, command);
    }));
  });
}
