import { composeDigest } from '../app/compose-digest';
import { type FoundPerson, findPerson } from '../app/find-person';
import { entraManagerOtherThan, quotaStatusOf, setManager, setQuota, teamStatus } from '../app/manage-quota';
import { choosePersonCard } from '../cards/choose-deal-card';
import { digestCard } from '../cards/digest-card';
import { messageCard } from '../cards/message-card';
import { myTeamCard } from '../cards/my-team-card';
import { quotaCard } from '../cards/quota-card';
import { mdInline } from '../cards/safe-text';
import { isDomainError } from '../domain/errors';
import { formatMoney } from '../i18n/format';
import type { PersonRecord } from '../ports/people-repository.port';
import type { Command, QuotaCommand } from './command';
import { cardReply, directoryNoteText, textReply, withNote, type Reply, type Turn } from './reply';
import type { ChatDeps } from './chat-deps';

/**
 * A person by `id:<aad id>`, exact name or e-mail, or a unique part of a name (PERSON.NOT_FOUND otherwise); with
 * `directory: false`, among the people DealDesk knows only.
 */
const resolve = (turn: Turn, deps: ChatDeps, query: string, options: { directory?: boolean } = {}): Promise<FoundPerson> => findPerson(deps, turn.actor, query, options);

/** Like resolve, but answers with the choice of matches when several fit (and says when the directory was not searched). */
async function withPerson(turn: Turn, deps: ChatDeps, query: string, commandFor: (ref: string) => Command, act: (p: PersonRecord) => Promise<Reply>): Promise<Reply> {
  const found = await resolve(turn, deps, query);
  const note = directoryNoteText(turn.t, found.note);
  if (found.kind === 'ambiguous') return withNote(cardReply(choosePersonCard(turn.t, found.query, found.matches, commandFor)), note);
  return withNote(await act(found.person), note);
}

/**
 * "Megan Bowen Adele Vance" without "to": the first split where both sides name exactly one person DealDesk knows
 * (each split is two lookups: the directory is not asked for every one of them).
 */
async function splitPeople(turn: Turn, deps: ChatDeps, both: string): Promise<[string, string] | undefined> {
  const words = both.split(' ');
  for (let i = 1; i < words.length; i++) {
    const [left, right] = [words.slice(0, i).join(' '), words.slice(i).join(' ')];
    const found = await Promise.all([resolve(turn, deps, left, { directory: false }), resolve(turn, deps, right, { directory: false })].map((p) => p.catch((e: unknown) => (isDomainError(e) ? undefined : Promise.reject(e)))));
    if (found.every((f) => f?.kind === 'found')) return [left, right];
  }
  return undefined;
}

/** Answers a quota command. Domain errors propagate to the caller, which words them. */
export async function runQuotaCommand(turn: Turn, deps: ChatDeps, command: QuotaCommand): Promise<Reply> {
  const { t, actor, locale } = turn;
  const now = deps.clock.now();
  const me = () => deps.store.people.get(actor.tenantId, actor.user.id);
  switch (command.kind) {
    case 'quota': {
      const status = await quotaStatusOf(deps, actor.tenantId, actor.user.id, (await me())?.timeZone, now);
      return cardReply(quotaCard(t, locale, actor.user.name, status));
    }
    case 'setQuota':
      return withPerson(turn, deps, command.person, (ref) => ({ name: 'quota', command: { ...command, person: ref } }), async (person) => {
        const quota = await setQuota(deps, actor, person, command.pg1, command.pg2);
        const status = await quotaStatusOf(deps, actor.tenantId, person.id, person.timeZone, now);
        const notice = t('quota.saved', { name: mdInline(person.name, 80), fy: quota.fiscalYear, pg1: formatMoney(locale, quota.pg1), pg2: formatMoney(locale, quota.pg2) });
        return cardReply(quotaCard(t, locale, person.name, status, notice));
      });
    case 'setManager': {
      const pair = command.manager !== undefined ? [command.person, command.manager] : await splitPeople(turn, deps, command.person);
      if (!pair) return cardReply(messageCard(t, t('quota.usage.setManager')));
      const [personRef, managerRef] = pair;
      return withPerson(turn, deps, personRef, (ref) => ({ name: 'quota', command: { kind: 'setManager', person: ref, manager: managerRef } }), (person) =>
        withPerson(turn, deps, managerRef, (ref) => ({ name: 'quota', command: { kind: 'setManager', person: `id:${person.id}`, manager: ref } }), async (manager) => {
          await setManager(deps, actor, person, manager);
          const names = { name: mdInline(person.name, 80), manager: mdInline(manager.name, 80) };
          const entra = await entraManagerOtherThan(deps, actor.tenantId, person.id, manager.id);
          return textReply(entra ? t('manager.setOverridesEntra', { ...names, entraManager: mdInline(entra.name, 80) }) : t('manager.set', names));
        }));
    }
    case 'showManager': {
      const show = async (person: PersonRecord) => {
        const manager = person.managerId ? await deps.store.people.get(actor.tenantId, person.managerId) : undefined;
        const name = mdInline(person.name, 80);
        if (!manager && !person.managerId) return textReply(t('manager.none', { name }));
        return textReply(t(person.managerSource === 'entra' ? 'manager.isFromEntra' : 'manager.is', { name, manager: mdInline(manager?.name ?? person.managerId ?? '', 80) }));
      };
      if (!command.person) return show((await me()) ?? { tenantId: actor.tenantId, id: actor.user.id, name: actor.user.name, updatedAt: now.toISOString() });
      return withPerson(turn, deps, command.person, (ref) => ({ name: 'quota', command: { kind: 'showManager', person: ref } }), show);
    }
    case 'myTeam':
      return cardReply(myTeamCard(t, locale, actor.user.name, await teamStatus(deps, actor.tenantId, actor.user.id, now)));
    case 'digest': {
      const person = (await me()) ?? { id: actor.user.id, name: actor.user.name };
      return cardReply(digestCard(t, locale, await composeDigest(deps, actor.tenantId, { ...person, name: actor.user.name }, now)));
    }
    case 'usage':
      return cardReply(messageCard(t, t(`quota.usage.${command.of}`)));
  }
}
