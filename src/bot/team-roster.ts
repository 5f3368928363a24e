import { TeamsInfo, type TurnContext } from 'botbuilder';
import { cleanText } from '../domain/deal-fields';
import { PERSON_NAME_MAX } from '../domain/person';
import { shorten } from '../domain/shorten-text';

export interface TeamMember {
  /** The member's Teams id ('29:…'): what createConversation and mentions take. */
  userId: string;
  aadObjectId: string;
  name: string;
  email?: string;
  userPrincipalName?: string;
}

/** The team a channel activity comes from (`channelData.team.id`); undefined outside a team. */
export function teamIdOf(context: TurnContext): string | undefined {
  const id = (context.activity.channelData as { team?: { id?: unknown } } | undefined)?.team?.id;
  return typeof id === 'string' && id ? id.slice(0, 200) : undefined;
}

/**
 * One member of the conversation the turn came from, as Teams knows them (`GET v3/conversations/<id>/members/<user>`):
 * an installation activity names who installed DealDesk by id only, without a name or e-mail.
 */
export async function fetchMember(context: TurnContext, userId: string): Promise<TeamMember | undefined> {
  const m = await TeamsInfo.getMember(context, userId);
  return m?.id ? memberOf(m) : undefined;
}

const memberOf = (m: { id: string; aadObjectId?: string; name?: string; givenName?: string; email?: string; userPrincipalName?: string }): TeamMember => ({
  userId: m.id,
  aadObjectId: m.aadObjectId ?? (m as { objectId?: string }).objectId ?? '',
  // Names are copied into deals (team, approvers, history): cut like an activity sender's (turn-of.ts).
  name: shorten(cleanText(m.name ?? m.givenName ?? m.id), PERSON_NAME_MAX) || m.id,
  ...(m.email ? { email: m.email } : {}),
  ...(m.userPrincipalName ? { userPrincipalName: m.userPrincipalName } : {}),
});

/** At most this many pages, so a connector that keeps returning tokens cannot loop us forever. */
const MAX_PAGES = 1_000;

/**
 * Everyone in the team (or, outside a team, the conversation) the turn came from, all pages.
 * Uses `TeamsInfo.getPagedMembers`: in a team it reads `GET v3/conversations/<team id>/pagedmembers`
 * (the team id from `channelData.team.id`), elsewhere the conversation's own roster.
 * `pageSize` is passed to Teams as is (Teams allows 50..500; leave it out for its default).
 */
export async function fetchTeamRoster(context: TurnContext, pageSize?: number): Promise<TeamMember[]> {
  const members: TeamMember[] = [];
  const seenTokens = new Set<string>();
  let continuationToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await TeamsInfo.getPagedMembers(context, pageSize, continuationToken);
    for (const m of result.members ?? []) {
      if (!m?.id) continue;
      members.push(memberOf(m));
    }
    continuationToken = result.continuationToken || undefined;
    if (!continuationToken || seenTokens.has(continuationToken)) break;
    seenTokens.add(continuationToken);
  }
  return members;
}
