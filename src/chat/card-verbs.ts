import { z } from 'zod';
import { DEAL_ID_PATTERN, isDealId } from '../domain/deal-ref';
import { CommandSchema } from './command-schema';
import { NUDGE_ROWS_MAX } from '../domain/stale-deal';

/**
 * Every card verb DealDesk answers, declared once, with the shape of the data its button sends (card data is
 * untrusted: only these shapes are accepted, and identity never comes from it). The handler tables are typed by
 * this registry (chat/card-actions.ts: one handler per verb, no more, no fewer), the card builders type their
 * verbs with `CardVerb`, and test/chat/card-verbs.spec.ts checks that every verb the templates and builders send
 * is here, has a handler and a row in the authorization matrix.
 *
 * A verb's data keeps the fields the schema does not name (`passthrough`): a form's inputs arrive beside them.
 */
/** A text or number input as a string; '' when absent or of another type. */
const cardString = z.unknown().transform((v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : ''));

/** Nothing read from the data (a button that only opens a card), or all of it read by the use case (a new deal's form). */
const AnyData = z.object({}).passthrough();
const DealAction = z.object({ dealId: z.string().regex(DEAL_ID_PATTERN), rev: z.coerce.number().int().min(0).optional() }).passthrough();
const MoveAction = DealAction.extend({ target: z.string().max(20) }).passthrough();
/**
 * A button that runs a command: the typed command (chat/command-schema.ts), run as it is. A string is the text form
 * that cards posted before the typed command still carry, read by the text parser.
 */
const CommandAction = z.object({ command: z.union([CommandSchema, z.string().max(300)]) }).passthrough();
const RequestAction = DealAction.extend({ value: z.string().max(40).optional() }).passthrough();
const DecideAction = DealAction.extend({ round: z.coerce.number().int().min(1).optional(), levelId: z.string().max(40).optional(), decision: z.enum(['approved', 'rejected', 'changesRequested']) }).passthrough();
const TeamAddAction = DealAction.extend({ person: cardString.pipe(z.string().trim().min(1).max(120)), role: cardString.pipe(z.string().max(60)) }).passthrough();
const TeamRemoveAction = DealAction.extend({ personId: z.string().min(1).max(100) }).passthrough();
const FollowUpAction = DealAction.extend({ followUpId: z.union([z.literal(''), z.string().regex(/^F\d{1,6}$/)]).optional() }).passthrough();
const CsatAction = DealAction.extend({ csatId: z.string().regex(/^C\d{1,6}$/) }).passthrough();
/** A page button's data: the deal and where the page ends; 0 or none is the newest page. */
const PageAction = z.object({ dealId: z.string().regex(DEAL_ID_PATTERN), end: z.coerce.number().int().min(0).max(1e9).optional() }).passthrough();
const ProposalAction = z.object({ proposalId: z.string().uuid() }).passthrough();
const ApplyAction = ProposalAction.extend({ dealId: z.string().max(20).optional(), deal: z.string().max(20).optional() }).passthrough();
/**
 * What a nudge card's button sends: the deal, the revision the card showed, and the ids of all the card's deals (so
 * the answer is the same card, rebuilt). The deal must be one of the card's.
 */
const NudgeAction = z
  .object({
    dealId: z.string().regex(DEAL_ID_PATTERN),
    rev: z.coerce.number().int().min(0),
    deals: z.string().max(NUDGE_ROWS_MAX * 12).transform((s) => s.split(',')),
  })
  .refine((a) => a.deals.length <= NUDGE_ROWS_MAX && a.deals.every((id) => isDealId(id)) && a.deals.includes(a.dealId));

export const CARD_VERB_DATA = {
  'help.show': AnyData,
  'pipeline.show': AnyData,
  'deal.newForm': AnyData,
  'deal.create': AnyData,
  'deal.refresh': DealAction,
  'deal.show': DealAction,
  'deal.edit': DealAction,
  'deal.update': DealAction,
  'deal.advance': DealAction,
  'deal.closeWon': DealAction,
  'deal.closeLost': DealAction,
  'deal.move': MoveAction,
  'deal.mute': DealAction,
  'team.add': TeamAddAction,
  'team.remove': TeamRemoveAction,
  'approval.decide': DecideAction,
  'approval.refresh': DealAction,
  'approval.request': RequestAction,
  'approval.page': PageAction,
  'history.page': PageAction,
  'command.run': CommandAction,
  'plan.save': DealAction,
  'csat.record': FollowUpAction,
  'csat.snooze': FollowUpAction,
  'csat.recoveryForm': CsatAction,
  'csat.recovery': CsatAction,
  'nudge.push': NudgeAction,
  'nudge.snooze': NudgeAction,
  'nudge.stage': NudgeAction,
  'nudge.closeLost': NudgeAction,
  'proposal.apply': ApplyAction,
  'proposal.cancel': ProposalAction,
} as const satisfies Record<string, z.ZodTypeAny>;

export type CardVerb = keyof typeof CARD_VERB_DATA;
/** The data a verb's handler gets: checked against the verb's schema. */
export type CardData<V extends CardVerb> = z.output<(typeof CARD_VERB_DATA)[V]>;

export const CARD_VERBS = Object.keys(CARD_VERB_DATA) as CardVerb[];
export const isCardVerb = (verb: string): verb is CardVerb => Object.hasOwn(CARD_VERB_DATA, verb);
