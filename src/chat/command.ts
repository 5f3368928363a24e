import type { FollowUpCommand } from './parse-follow-up-command';
import type { LanguageChoice } from './parse-language-command';
import type { NudgeCommand } from './parse-nudge-command';
import type { QuotaCommand } from './parse-quota-command';
import type { ReassignCommand } from './parse-reassign-command';

/** What a user asked for, read from chat text. Parsing is forgiving; validation happens in the domain. */
export type Command =
  | { name: 'help' }
  | { name: 'newDeal' }
  | { name: 'pipeline' }
  | { name: 'showDeal'; ref: string }
  | { name: 'move'; ref: string; target: string; note: string }
  | { name: 'set'; ref: string; field: string; value: string }
  | { name: 'close'; ref: string; outcome: 'won' | 'lost'; reason: string }
  | { name: 'team'; ref: string }
  | { name: 'addMember'; person: string; ref: string; role: string }
  | { name: 'removeMember'; person: string; ref: string }
  | { name: 'follow'; ref?: string; account?: string }
  | { name: 'unfollow'; ref?: string; account?: string }
  | { name: 'following' }
  | { name: 'mute'; ref: string; muted: boolean }
  | { name: 'alertsSwitch'; on: boolean }
  | { name: 'alertStatus'; ref: string }
  | { name: 'approvalsHere' }
  | { name: 'approvers' }
  | { name: 'setApprovers'; level: string; people: string[]; mode?: 'any' | 'all' }
  | { name: 'requestApproval'; ref: string; note: string }
  | { name: 'approvalTrail'; ref: string }
  | { name: 'history'; ref: string }
  | { name: 'sync'; ref: string }
  | { name: 'summary'; ref: string }
  | { name: 'followUp'; command: FollowUpCommand }
  | { name: 'nudge'; command: NudgeCommand }
  | { name: 'quota'; command: QuotaCommand }
  | { name: 'reassign'; command: ReassignCommand }
  | { name: 'language'; choice?: LanguageChoice }
  | { name: 'usage'; of: UsageOf }
  | { name: 'unknown'; suggestion?: string };

export type UsageOf = 'deal' | 'move' | 'set' | 'close' | 'team' | 'add' | 'remove' | 'follow' | 'mute' | 'alerts' | 'requestApproval' | 'approval' | 'setApprovers' | 'history' | 'sync' | 'summary' | 'language';
