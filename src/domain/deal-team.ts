import { type Deal, withChanges } from './deal';
import { cleanText } from './deal-fields';
import { DomainError } from './errors';
import type { TeamMember } from './deal-parts';
import type { Person } from './person';

export type { TeamMember };

export const ROLES = ['Architect', 'Delivery manager', 'Consultant', 'Support account manager', 'Specialist'] as const;
export const ROLE_MAX = 60;
export const TEAM_MAX = 50;

/** A role as typed: a known role in any case ("architect"), or free text up to 60 characters. */
export function parseRole(input: unknown): string {
  const text = cleanText(input);
  if (!text) return 'Specialist';
  if (text.length > ROLE_MAX) throw new DomainError('TEAM.ROLE_INVALID', { max: ROLE_MAX });
  return ROLES.find((r) => r.toLowerCase() === text.toLowerCase()) ?? text;
}

/** Adds someone to the deal team, or changes their role if they are on it already. */
export function addTeamMember(deal: Deal, member: TeamMember, by: Person, at: string): Deal {
  const team = deal.team ?? [];
  const existing = team.find((m) => m.person.id === member.person.id);
  if (existing?.role === member.role) return deal;
  if (!existing && team.length >= TEAM_MAX) throw new DomainError('TEAM.FULL', { max: TEAM_MAX });
  const next = existing ? team.map((m) => (m.person.id === member.person.id ? member : m)) : [...team, member];
  return withChanges(deal, by, at, [{ kind: 'team', action: 'added', person: member.person, role: member.role }], { team: next });
}

export function removeTeamMember(deal: Deal, personId: string, by: Person, at: string): Deal {
  const member = (deal.team ?? []).find((m) => m.person.id === personId);
  if (!member) throw new DomainError('TEAM.NOT_A_MEMBER', { id: deal.id });
  return withChanges(deal, by, at, [{ kind: 'team', action: 'removed', person: member.person, role: member.role }], {
    team: deal.team.filter((m) => m.person.id !== personId),
  });
}

export const isTeamMember = (deal: Deal, personId: string): boolean => (deal.team ?? []).some((m) => m.person.id === personId);
