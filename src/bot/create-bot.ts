import { ActivityTypes, type TurnContext } from 'botbuilder';
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import { rememberConversationUseCase } from '../app/remember-conversation';
import { rememberPersonUseCase } from '../app/remember-person';
import { CARD_ACTIONS } from '../chat/card-actions';
import { errorReply } from '../chat/error-reply';
import { parseCommand } from '../chat/parse-command';
import { textReply, type Reply, type Turn } from '../chat/reply';
import type { ChatDeps } from '../chat/chat-deps';
import { runCommand } from '../chat/run-command';
import { proposeUpdate } from '../chat/propose-update';
import { helpCard } from '../cards/help-card';
import { isDomainError } from '../domain/errors';
import { metrics } from '../metrics/metrics';
import { tracing } from '../telemetry/tracing';
import { conversationOf } from './conversation-of';
import { sendReply } from './send-reply';
import { fetchMember, fetchTeamRoster, teamIdOf } from './team-roster';
import { syncTeamRoster } from '../app/sync-team-roster';
import { inChosenLanguage, localeTurn, turnOf } from './turn-of';
import { chosenLanguage } from '../app/choose-language';
import type { HandleTurn } from './handle-turn';
import { registerMessageActions } from './message-actions';
import { registerMessageExtensions } from './message-extensions';
import { readableText } from '../chat/readable-text';

/** What one turn's log line says; every value comes from a fixed vocabulary, never from the user's text. */
interface TurnNote {
  command?: string;
  verb?: string;
  /** ok, a domain error code, or failed */
  outcome: string;
  /** What failed the turn (outcome failed): the turn's exception in Application Insights. */
  error?: unknown;
}
const TURN_NOTE = Symbol('dealdesk.turnNote');
const noteOf = (context: TurnContext): TurnNote | undefined => context.turnState.get(TURN_NOTE) as TurnNote | undefined;

const KNOWN_TYPES = new Set<string>(Object.values(ActivityTypes));
const CONVERSATION_TYPES = new Set(['personal', 'channel', 'groupChat']);
/** Teams activity ids ("1:1abc…", "f:123…", digits); anything else is not echoed into the logs. */
const SAFE_ID = /^[\w:.|@-]{1,128}$/;
const safeId = (id: unknown): string | undefined => (typeof id === 'string' ? (SAFE_ID.test(id) ? id : 'invalid') : undefined);

/** The turn's request span: named after the activity and what it asked for, with the turn log line's fields. */
function nameTurnSpan(type: string, conversationType: string | undefined, note: TurnNote): void {
  const span = tracing.active();
  const label = note.command ?? note.verb;
  span.rename(`turn ${type}${label ? ` ${label}` : ''}`);
  span.set({
    'dealdesk.activity_type': type,
    'dealdesk.command': note.command,
    'dealdesk.verb': note.verb,
    'dealdesk.conversation_type': conversationType && CONVERSATION_TYPES.has(conversationType) ? conversationType : 'other',
    'dealdesk.outcome': note.outcome,
  });
  if (note.outcome === 'failed') span.fail(note.error);
}

/**
 * The Teams edge: turns activities into chat-layer calls and replies into messages or invoke
 * responses. Nothing here decides anything about deals.
 */
export function createBot(adapter: TeamsAdapter, deps: ChatDeps): Application<TurnState> {
  const app = new Application<TurnState>({ adapter, removeRecipientMention: true, startTypingTimer: false, longRunningMessages: false });
  const remember = rememberConversationUseCase(deps);
  const rememberPerson = rememberPersonUseCase(deps);

  /** Keeps the conversation reference and what we know of the person current, on every turn. */
  const rememberTurn = async (context: TurnContext, turn: Turn) => {
    await remember(conversationOf(context, turn));
    const { activity } = context;
    await rememberPerson({
      tenantId: turn.actor.tenantId,
      id: turn.actor.user.id,
      name: turn.actor.user.name,
      userId: activity.from?.id,
      serviceUrl: activity.serviceUrl,
      locale: turn.locale,
      timeZone: activity.localTimezone,
    }, { talking: true });
  };

  /** Runs one turn's work with the actor, keeping the conversation reference current; never throws. */
  async function handle(context: TurnContext, work: (turn: Turn) => Promise<Reply>): Promise<Reply> {
    const teamsTurn = turnOf(context);
    const note = noteOf(context);
    if (!teamsTurn) {
      if (note) note.outcome = 'UNKNOWN_SENDER';
      return textReply(localeTurn(context)('error.unknownSender'));
    }
    let turn = teamsTurn;
    try {
      // The Teams locale is remembered as such; the language the person chose (if any) is the one the turn speaks.
      await rememberTurn(context, teamsTurn);
      turn = inChosenLanguage(teamsTurn, await chosenLanguage(deps, teamsTurn.actor));
      return await work(turn);
    } catch (e) {
      if (note) {
        note.outcome = isDomainError(e) ? e.code : 'failed';
        if (!isDomainError(e)) note.error = e;
      }
      return errorReply(turn, e, deps.logger);
    }
  }

  /**
   * One JSON log line and the turn metrics per turn: activity type, command word or card verb, conversation
   * type, duration, outcome, correlated by activity id. Never the text, the card data, names or tokens. The same
   * names the turn's request span (opened by the HTTP edge), e.g. "turn message help" or "turn invoke deal.move";
   * a failed turn fails it, with what failed as its exception.
   */
  const run = app.run.bind(app);
  app.run = async (context: TurnContext): Promise<boolean> => {
    const started = performance.now();
    const note: TurnNote = { outcome: 'ok' };
    context.turnState.set(TURN_NOTE, note);
    try {
      return await run(context);
    } catch (e) {
      note.outcome = 'failed';
      note.error ??= e;
      throw e;
    } finally {
      const { activity } = context;
      const type = KNOWN_TYPES.has(activity.type) ? activity.type : 'other';
      const conversationType = activity.conversation?.conversationType;
      const ms = Math.round((performance.now() - started) * 10) / 10;
      deps.logger.info({
        activityId: safeId(activity.id),
        activityType: type,
        ...(note.command ? { command: note.command } : {}),
        ...(note.verb ? { verb: note.verb } : {}),
        conversationType: conversationType && CONVERSATION_TYPES.has(conversationType) ? conversationType : 'other',
        ms,
        outcome: note.outcome,
      }, 'turn');
      nameTurnSpan(type, conversationType, note);
      metrics.turns.inc({ type, outcome: note.outcome === 'ok' || note.outcome === 'failed' ? note.outcome : 'domain_error' });
      metrics.turnMs.observe(ms, { type });
      if (note.verb) metrics.cardActions.inc({ verb: note.verb, outcome: note.outcome === 'ok' || note.outcome === 'failed' ? note.outcome : 'domain_error' });
    }
  };

  app.activity(ActivityTypes.Message, async (context) => {
    const text = typeof context.activity.text === 'string' ? context.activity.text : '';
    // A card the user shared into the chat (say, a deal card from the compose-box search) with no words of their
    // own is not a command: no "I didn't get that" for it.
    if (!text.replace(/<[^>]*>/g, '').trim() && (context.activity.attachments?.length ?? 0) > 0) {
      const note = noteOf(context);
      if (note) note.command = 'sharedCard';
      return;
    }
    await sendReply(context, await handle(context, (turn) => {
      const command = parseCommand(readableText(text));
      const note = noteOf(context);
      if (note) note.command = command.name;
      // Not a command: maybe an update in the user's own words, to propose (issue 21).
      return command.name === 'unknown' ? proposeUpdate(turn, deps, readableText(text), command) : runCommand(turn, deps, command);
    }));
  });

  app.adaptiveCards.actionExecute(/.*/, async (context, _state, data) => {
    const verb = String((context.activity.value as { action?: { verb?: unknown } })?.action?.verb ?? '');
    const action = Object.hasOwn(CARD_ACTIONS, verb) ? CARD_ACTIONS[verb] : undefined;
    const note = noteOf(context);
    if (note) note.verb = action ? verb : 'unknown';
    const body = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
    keepPressAnswered(context);
    const reply = await handle(context, (turn) => (action ? action(turn, deps, body) : Promise.resolve(textReply(turn.t('error.REQUEST.INVALID')))));
    return 'card' in reply ? (reply.card as never) : reply.text;
  });

  /**
   * teams-ai answers a press whose card has a `refresh` (every live deal card) by also replacing the card for
   * everyone: a PUT of the message the card is in (`replyToId`). That PUT is a courtesy to the others, whose
   * cards refresh on their own anyway: when there is no message to replace, or Teams refuses (a card someone
   * shared from the compose box is their message, not DealDesk's), the presser still gets the card back.
   */
  const keepPressAnswered = (context: TurnContext) => {
    context.onUpdateActivity(async (_ctx, activity, next) => {
      if (!activity.id) return;
      try {
        await next();
      } catch (err) {
        deps.logger.warn({ err }, 'could not replace the card for everyone; the presser got it');
      }
    });
  };

  /** Message extensions and actions on messages (issue 9) use the same turn handling, labelled in the log line. */
  const handleAs: HandleTurn = (context, label, work) => {
    const note = noteOf(context);
    if (note) note.verb = label;
    return handle(context, work);
  };
  registerMessageExtensions(app, deps, handleAs);
  registerMessageActions(app, deps, handleAs);

  /**
   * In a team, everyone on its roster becomes someone DealDesk can add to a deal team and reach 1:1; read again when
   * members join or leave, so someone who left the team (and never met DealDesk themselves) is no longer offered
   * (domain/team-membership.ts). Deals that name them keep them.
   */
  const learnRoster = async (context: TurnContext, turn: Turn) => {
    if (turn.place.type !== 'channel') return;
    const roster = (await fetchTeamRoster(context)).filter((m) => m.aadObjectId);
    for (const member of roster) {
      await rememberPerson({
        tenantId: turn.actor.tenantId,
        id: member.aadObjectId,
        name: member.name || member.aadObjectId,
        email: member.email ?? member.userPrincipalName,
        userId: member.userId,
        serviceUrl: context.activity.serviceUrl,
      });
    }
    const teamId = teamIdOf(context) ?? turn.place.conversationId;
    await syncTeamRoster(deps, turn.actor.tenantId, teamId, roster.map((m) => m.aadObjectId));
  };

  /**
   * Whoever installed DealDesk for themselves is known and reachable like someone who wrote to it. The activity names
   * them by id only: their name and e-mail come from Teams (the 1:1 conversation's member).
   */
  const learnInstaller = async (context: TurnContext, turn: Turn) => {
    if (turn.place.type !== 'personal') return;
    const { activity } = context;
    const member = activity.from?.id ? await fetchMember(context, activity.from.id).catch((e) => deps.logger.warn({ err: e }, 'could not read who installed DealDesk')) : undefined;
    const named = member && member.aadObjectId === turn.actor.user.id ? member : undefined;
    // Without a name from Teams or the activity, a name DealDesk already has is not replaced by an id.
    const kept = named || activity.from?.name ? undefined : (await deps.store.people.get(turn.actor.tenantId, turn.actor.user.id))?.name;
    await rememberPerson({
      tenantId: turn.actor.tenantId,
      id: turn.actor.user.id,
      name: named?.name ?? kept ?? turn.actor.user.name,
      email: named?.email ?? named?.userPrincipalName,
      userId: activity.from?.id,
      serviceUrl: activity.serviceUrl,
      locale: turn.locale,
    }, { talking: true });
  };

  const greet = async (context: TurnContext) => {
    const turn = turnOf(context);
    if (!turn) return;
    try {
      await remember(conversationOf(context, turn), { force: true });
      await learnInstaller(context, turn);
      await learnRoster(context, turn).catch((e) => deps.logger.warn({ err: e }, 'could not read the team roster'));
      if (await deps.store.conversations.claimGreeting(turn.actor.tenantId, context.activity.conversation.id)) {
        await sendReply(context, { card: helpCard(turn.t, { greeting: true }) });
      }
    } catch (e) {
      deps.logger.error({ err: e }, 'could not greet a new conversation');
    }
  };

  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    const action = String(context.activity.action ?? '');
    if (action.startsWith('add')) return greet(context);
    const turn = turnOf(context);
    if (turn && action.startsWith('remove')) await remember(conversationOf(context, turn, false), { force: true }).catch((e) => deps.logger.error({ err: e }, 'could not mark uninstall'));
  });

  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient?.id;
    if ((context.activity.membersAdded ?? []).some((m) => m.id === botId)) return greet(context);
    const turn = turnOf(context);
    if (turn) await learnRoster(context, turn).catch((e) => deps.logger.warn({ err: e }, 'could not read the team roster'));
  });

  /** Members left the team: its roster is read again. DealDesk itself removed: the uninstall (installationUpdate) says so. */
  app.conversationUpdate('membersRemoved', async (context) => {
    const botId = context.activity.recipient?.id;
    if ((context.activity.membersRemoved ?? []).some((m) => m.id === botId)) return;
    const turn = turnOf(context);
    if (turn) await learnRoster(context, turn).catch((e) => deps.logger.warn({ err: e }, 'could not read the team roster'));
  });

  // An invoke no route above takes (an unknown name): a clear 400 instead of the adapter's 501 "not implemented".
  app.activity(ActivityTypes.Invoke, async (context) => {
    const note = noteOf(context);
    if (note) {
      note.verb = 'unknownInvoke';
      note.outcome = 'REQUEST.INVALID';
    }
    await context.sendActivity({ type: 'invokeResponse', value: { status: 400, body: { error: 'DealDesk does not handle this invoke' } } });
  });

  app.error(async (context, error) => {
    deps.logger.error({ err: error, activityType: context.activity?.type }, 'unhandled error in a turn');
  });

  return app;
}
