import { sendStatus } from '../app/send-status';
import { findPerson } from '../app/find-person';
import { accountTarget, followAccount, followDeal, following, unfollow } from '../app/follow-deals';
import { addToTeam, removeFromTeam } from '../app/manage-team';
import { setMuted } from '../app/set-muted';
import { choosePersonCard } from '../cards/choose-deal-card';
import { sendStatusCard } from '../cards/send-status-card';
import { followingCard } from '../cards/following-card';
import { teamCard } from '../cards/team-card';
import { mdInline } from '../cards/safe-text';
import { parseDealRef } from '../domain/deal-ref';
import type { FollowTarget } from '../ports/follow-repository.port';
import type { PersonRecord } from '../ports/people-repository.port';
import type { Command } from './command';
import { dealReply, withDeal } from './deal-replies';
import { cardReply, directoryNoteText, textReply, withNote, type Reply, type Turn } from './reply';
import type { ChatDeps } from './chat-deps';

type TeamCommand = Extract<Command, { name: 'team' | 'addMember' | 'removeMember' | 'follow' | 'unfollow' | 'following' | 'mute' | 'alertsSwitch' | 'alertStatus' }>;

/** Resolves a person (by name, e-mail or `id:`), or answers with the choice of matches. */
export async function withPerson(turn: Turn, deps: ChatDeps, query: string, commandFor: (ref: string) => Command, act: (p: PersonRecord) => Promise<Reply>): Promise<Reply> {
  const byId = /^id:(.+)$/.exec(query.trim());
  const known = byId ? await deps.store.people.get(turn.actor.tenantId, byId[1]) : undefined;
  if (known) return act(known);
  const found = await findPerson(deps, turn.actor, query);
  const note = directoryNoteText(turn.t, found.note);
  if (found.kind === 'ambiguous') return withNote(cardReply(choosePersonCard(turn.t, found.query, found.matches, commandFor)), note);
  return withNote(await act(found.person), note);
}

/** `follow …`: a deal the actor may read and may follow, or an account (whose alerts reach the channel deal by deal). */
async function followReply(turn: Turn, deps: ChatDeps, command: { ref?: string; account?: string }): Promise<Reply> {
  const { t, actor, place } = turn;
  const answer = async (added: boolean, label: string, note = '') =>
    cardReply(followingCard(t, await following(deps, actor, place), `${t(added ? 'following.added' : 'following.already', { what: label })}${note}`));
  if (command.account) {
    const added = await followAccount(deps, actor, place, accountTarget(command.account));
    return answer(added, t('following.account', { account: mdInline(command.account, 80) }), ` ${t('following.accountScope')}`);
  }
  return withDeal(turn, deps, command.ref ?? '', (id) => ({ name: 'follow', ref: id }), async ({ deal }) =>
    answer(await followDeal(deps, actor, place, deal), t('following.deal', { id: deal.id })));
}

/**
 * `unfollow …`: an account, a deal by id (nothing of the deal is read: the channel's own follow goes, whoever may
 * read the deal now), or a deal by title among those the actor may read.
 */
async function unfollowReply(turn: Turn, deps: ChatDeps, command: { ref?: string; account?: string }): Promise<Reply> {
  const { t, actor, place } = turn;
  const stop = async (target: FollowTarget, label: string) => {
    await unfollow(deps, actor, place, target);
    return cardReply(followingCard(t, await following(deps, actor, place), t('following.removed', { what: label })));
  };
  if (command.account) return stop(accountTarget(command.account), t('following.account', { account: mdInline(command.account, 80) }));
  const ref = parseDealRef(command.ref ?? '');
  if (ref.kind === 'id') return stop({ kind: 'deal', dealId: ref.id }, t('following.deal', { id: ref.id }));
  return withDeal(turn, deps, command.ref ?? '', (id) => ({ name: 'unfollow', ref: id }), ({ deal }) => stop({ kind: 'deal', dealId: deal.id }, t('following.deal', { id: deal.id })));
}

/** The deal team, follow, mute and alert-status commands. */
export async function runTeamCommand(turn: Turn, deps: ChatDeps, command: TeamCommand): Promise<Reply> {
  const { t, actor, place } = turn;
  switch (command.name) {
    case 'team':
      return withDeal(turn, deps, command.ref, (id) => ({ ...command, ref: id }), async ({ deal }) => cardReply(teamCard(t, deal)));
    case 'addMember':
      return withDeal(turn, deps, command.ref, (id) => ({ ...command, ref: id }), ({ deal }) =>
        withPerson(turn, deps, command.person, (ref) => ({ ...command, ref: deal.id, person: ref }), async (person) => {
          const updated = await addToTeam(deps, actor, deal.id, person, command.role);
          return cardReply(teamCard(t, updated, t('team.added', { name: mdInline(person.name, 80) })));
        }));
    case 'removeMember':
      return withDeal(turn, deps, command.ref, (id) => ({ ...command, ref: id }), ({ deal }) =>
        withPerson(turn, deps, command.person, (ref) => ({ ...command, ref: deal.id, person: ref }), async (person) => {
          const updated = await removeFromTeam(deps, actor, deal.id, person.id);
          return cardReply(teamCard(t, updated, t('team.removed', { name: mdInline(person.name, 80) })));
        }));
    case 'follow':
      return followReply(turn, deps, command);
    case 'unfollow':
      return unfollowReply(turn, deps, command);
    case 'following':
      return cardReply(followingCard(t, await following(deps, actor, place)));
    case 'mute':
      return withDeal(turn, deps, command.ref, (id) => ({ ...command, ref: id }), async ({ deal }) => {
        await setMuted(deps, actor, deal, command.muted);
        return dealReply(turn, deal, { text: t(command.muted ? 'notice.muted' : 'notice.unmuted', { id: deal.id }), tone: 'good' });
      });
    case 'alertsSwitch':
      await deps.store.people.setAlertsOff(actor.tenantId, actor.user.id, !command.on);
      return textReply(t(command.on ? 'notice.alertsOn' : 'notice.alertsOff'));
    case 'alertStatus':
      return withDeal(turn, deps, command.ref, (id) => ({ ...command, ref: id }), async ({ deal }) =>
        cardReply(sendStatusCard(t, turn.locale, deal, await sendStatus(deps, actor, deal.id), deps.settings.deliveryRetentionDays)));
  }
}
