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

/** The follow-up commands (issue 5): delivery plans, milestones, CSAT, accounts. */
export type FollowUpCommand =
  | { name: 'milestone'; ref: string; milestone: string; arg: { kind: 'done' } | { kind: 'date'; date: string } | { kind: 'none' } }
  | { name: 'csat'; ref: string }
  | { name: 'plan'; ref: string }
  | { name: 'account'; account: string }
  | { name: 'usage'; of: 'milestone' | 'csat' | 'account' | 'plan' };

/** What `language <choice>` sets: a language, or `teams` (forget the choice: the Teams locale decides). */
export type LanguageChoice = 'zh-CN' | 'en-US' | 'teams';

/** The nudge commands (issue 5): `stale` (or `nudges`) shows my stale deals with their fixes. */
export type NudgeCommand = { name: 'stale' };

/** The quota, manager, team and digest commands (issue 5). */
export type QuotaCommand =
  | { kind: 'quota' }
  | { kind: 'setQuota'; person: string; pg1: string; pg2: string }
  /** `manager` undefined: no "to" was typed, `person` holds both names and the runner finds the split. */
  | { kind: 'setManager'; person: string; manager?: string }
  | { kind: 'showManager'; person?: string }
  | { kind: 'myTeam' }
  | { kind: 'digest' }
  | { kind: 'usage'; of: 'setQuota' | 'setManager' | 'manager' };

/** `reassign <deal> to <person>`, `reassign all deals of <person> to <person>` (issue 17, item 4). */
export type ReassignCommand = { kind: 'deal'; ref: string; person: string } | { kind: 'all'; from: string; to: string } | { kind: 'usage' };
