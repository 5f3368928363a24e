import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Logger } from '../../ports/logger.port';
import { metrics } from '../../metrics/metrics';
import { tracing } from '../../telemetry/tracing';
import { noteOf, openNote, type TurnNote } from './turn-note';

const KNOWN_TYPES = new Set<string>(Object.values(ActivityTypes));
const CONVERSATION_TYPES = new Set(['personal', 'channel', 'groupChat']);
/** Teams activity ids ("1:1abc…", "f:123…", digits); anything else is not echoed into the logs. */
const SAFE_ID = /^[\w:.|@-]{1,128}$/;
const safeId = (id: unknown): string | undefined => (typeof id === 'string' ? (SAFE_ID.test(id) ? id : 'invalid') : undefined);
const conversationTypeOf = (type: string | undefined) => (type && CONVERSATION_TYPES.has(type) ? type : 'other');
const metricOutcome = (outcome: string) => (outcome === 'ok' || outcome === 'failed' ? outcome : 'domain_error');

/**
 * One JSON log line and the turn metrics per turn: activity type, command word or card verb, conversation
 * type, duration, outcome, correlated by activity id. Never the text, the card data, names or tokens. The same
 * names the turn's request span (opened by the HTTP edge), e.g. "turn message help" or "turn invoke deal.move";
 * a failed turn fails it, with what failed as its exception.
 *
 * teams-ai's own turn hooks: the note opens before the turn and is written after it; a turn that throws never
 * reaches `afterTurn`, so the app's error hook writes it, as failed, before logging the error itself.
 */
export function logTurns(app: Application<TurnState>, logger: Logger): void {
  app.turn('beforeTurn', async (context) => {
    openNote(context);
    return true;
  });
  app.turn('afterTurn', async (context) => {
    writeTurn(context, logger);
    return true;
  });
  app.error(async (context, error) => {
    const note = noteOf(context);
    if (note && !note.logged) {
      note.outcome = 'failed';
      note.error ??= error;
      writeTurn(context, logger);
    }
    logger.error({ err: error, activityType: context.activity?.type }, 'unhandled error in a turn');
  });
}

function writeTurn(context: TurnContext, logger: Logger): void {
  const note = noteOf(context);
  if (!note || note.logged) return;
  note.logged = true;
  const { activity } = context;
  const type = KNOWN_TYPES.has(activity.type) ? activity.type : 'other';
  const conversationType = conversationTypeOf(activity.conversation?.conversationType);
  const ms = Math.round((performance.now() - note.started) * 10) / 10;
  logger.info({
    activityId: safeId(activity.id),
    activityType: type,
    ...(note.command ? { command: note.command } : {}),
    ...(note.verb ? { verb: note.verb } : {}),
    conversationType,
    ms,
    outcome: note.outcome,
  }, 'turn');
  nameTurnSpan(type, conversationType, note);
  metrics.turns.inc({ type, outcome: metricOutcome(note.outcome) });
  metrics.turnMs.observe(ms, { type });
  if (note.verb) metrics.cardActions.inc({ verb: note.verb, outcome: metricOutcome(note.outcome) });
}

/** The turn's request span: named after the activity and what it asked for, with the turn log line's fields. */
function nameTurnSpan(type: string, conversationType: string, note: TurnNote): void {
  const span = tracing.active();
  const label = note.command ?? note.verb;
  span.rename(`turn ${type}${label ? ` ${label}` : ''}`);
  span.set({
    'dealdesk.activity_type': type,
    'dealdesk.command': note.command,
    'dealdesk.verb': note.verb,
    'dealdesk.conversation_type': conversationType,
    'dealdesk.outcome': note.outcome,
  });
  if (note.outcome === 'failed') span.fail(note.error);
}
