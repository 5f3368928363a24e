import { ActivityTypes } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { note } from '../pipeline/turn-note';

/**
 * An invoke no route takes (an unknown name): a clear 400 instead of the adapter's 501 "not implemented".
 * teams-ai tries its invoke routes first, so this one, an ordinary activity route, only sees what they left.
 */
export function routeUnknownInvokes(app: Application<TurnState>): void {
  app.activity(ActivityTypes.Invoke, async (context) => {
    note(context, { verb: 'unknownInvoke', outcome: 'REQUEST.INVALID' });
    await context.sendActivity({ type: 'invokeResponse', value: { status: 400, body: { error: 'DealDesk does not handle this invoke' } } });
  });
}
