import { z } from 'zod';
import type { Command, FollowUpCommand, LanguageChoice, NudgeCommand, QuotaCommand, ReassignCommand, UsageOf } from './command';
import { MESSAGE_MAX } from './readable-text';

/**
 * The typed command a card's button carries (`command.run`): exactly one `Command` (chat/command.ts), nothing
 * more. Card data is untrusted: every object is strict (a field the command does not have is refused), every text
 * at most what one message may hold (a command read from a message fits), and the command is authorised when it
 * runs exactly as if it had been typed. The checks at the end hold this schema to the union: a kind added to (or
 * changed in) `Command` and not here, or here and not there, does not compile.
 */
const text = z.string().max(MESSAGE_MAX);
const is = <N extends string, S extends z.ZodRawShape>(name: N, shape: S) => z.strictObject({ name: z.literal(name), ...shape });
const kind = <K extends string, S extends z.ZodRawShape>(k: K, shape: S) => z.strictObject({ kind: z.literal(k), ...shape });

const USAGE_OF = ['deal', 'move', 'set', 'close', 'team', 'add', 'remove', 'follow', 'mute', 'alerts', 'requestApproval', 'approval', 'setApprovers', 'history', 'sync', 'summary', 'language'] as const;

const FollowUpCommandSchema = z.discriminatedUnion('name', [
  is('milestone', { ref: text, milestone: text, arg: z.discriminatedUnion('kind', [kind('done', {}), kind('date', { date: text }), kind('none', {})]) }),
  is('csat', { ref: text }),
  is('plan', { ref: text }),
  is('account', { account: text }),
  is('usage', { of: z.enum(['milestone', 'csat', 'account', 'plan']) }),
]);

const NudgeCommandSchema = is('stale', {});

const QuotaCommandSchema = z.discriminatedUnion('kind', [
  kind('quota', {}),
  kind('setQuota', { person: text, pg1: text, pg2: text }),
  kind('setManager', { person: text, manager: text.optional() }),
  kind('showManager', { person: text.optional() }),
  kind('myTeam', {}),
  kind('digest', {}),
  kind('usage', { of: z.enum(['setQuota', 'setManager', 'manager']) }),
]);

const ReassignCommandSchema = z.discriminatedUnion('kind', [
  kind('deal', { ref: text, person: text }),
  kind('all', { from: text, to: text }),
  kind('usage', {}),
]);

const LanguageChoiceSchema = z.enum(['zh-CN', 'en-US', 'teams']);

export const CommandSchema = z.discriminatedUnion('name', [
  is('help', {}),
  is('newDeal', {}),
  is('pipeline', {}),
  is('showDeal', { ref: text }),
  is('move', { ref: text, target: text, note: text }),
  is('set', { ref: text, field: text, value: text }),
  is('close', { ref: text, outcome: z.enum(['won', 'lost']), reason: text }),
  is('team', { ref: text }),
  is('addMember', { person: text, ref: text, role: text }),
  is('removeMember', { person: text, ref: text }),
  is('follow', { ref: text.optional(), account: text.optional() }),
  is('unfollow', { ref: text.optional(), account: text.optional() }),
  is('following', {}),
  is('mute', { ref: text, muted: z.boolean() }),
  is('alertsSwitch', { on: z.boolean() }),
  is('alertStatus', { ref: text }),
  is('approvalsHere', {}),
  is('approvers', {}),
  // A message holds at most MESSAGE_MAX characters, so at most half as many comma-separated names.
  is('setApprovers', { level: text, people: z.array(text).max(MESSAGE_MAX / 2), mode: z.enum(['any', 'all']).optional() }),
  is('requestApproval', { ref: text, note: text }),
  is('approvalTrail', { ref: text }),
  is('history', { ref: text }),
  is('sync', { ref: text }),
  is('summary', { ref: text }),
  is('followUp', { command: FollowUpCommandSchema }),
  is('nudge', { command: NudgeCommandSchema }),
  is('quota', { command: QuotaCommandSchema }),
  is('reassign', { command: ReassignCommandSchema }),
  is('language', { choice: LanguageChoiceSchema.optional() }),
  is('usage', { of: z.enum(USAGE_OF) }),
  is('unknown', { suggestion: text.optional() }),
]);


// The schema is the union, both ways (a type-level exhaustiveness check: each line fails to compile on drift).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? ([A] extends [B] ? ([B] extends [A] ? true : false) : false) : false;
type Holds<T extends true> = T;
export type CommandSchemaIsTheUnion = [
  Holds<Same<z.output<typeof CommandSchema>['name'], Command['name']>>,
  Holds<Same<z.output<typeof CommandSchema>, Command>>,
  Holds<Same<z.output<typeof FollowUpCommandSchema>, FollowUpCommand>>,
  Holds<Same<z.output<typeof NudgeCommandSchema>, NudgeCommand>>,
  Holds<Same<z.output<typeof QuotaCommandSchema>, QuotaCommand>>,
  Holds<Same<z.output<typeof ReassignCommandSchema>, ReassignCommand>>,
  Holds<Same<z.output<typeof LanguageChoiceSchema>, LanguageChoice>>,
  Holds<Same<(typeof USAGE_OF)[number], UsageOf>>,
];
