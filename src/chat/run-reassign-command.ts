import { reassignAll, reassignOne } from '../app/reassign-deals';
import { messageCard } from '../cards/message-card';
import { mdInline } from '../cards/safe-text';
import { dealReply, withDeal } from './deal-replies';
import { errorText } from './error-reply';
import type { ReassignCommand } from './command';
import { cardReply, type Reply, type Turn } from './reply';
import type { ChatDeps } from './chat-deps';
import { withPerson } from './run-team-command';

/** Answers a reassignment. Domain errors propagate to the caller, which words them. */
export async function runReassignCommand(turn: Turn, deps: ChatDeps, command: ReassignCommand): Promise<Reply> {
  const { t, actor } = turn;
  switch (command.kind) {
    case 'usage':
      return cardReply(messageCard(t, t('reassign.usage')));
    case 'deal':
      return withDeal(turn, deps, command.ref, (id) => ({ name: 'reassign', command: { ...command, ref: id } }), ({ deal }) =>
        withPerson(turn, deps, command.person, (ref) => ({ name: 'reassign', command: { ...command, ref: deal.id, person: ref } }), async (to) => {
          const done = await reassignOne(deps, actor, deal.id, to);
          const names = { id: done.deal.id, from: mdInline(done.from.name, 80), to: mdInline(to.name, 80) };
          return dealReply(turn, done.deal, { text: t(done.moved ? 'reassign.done' : 'reassign.already', names), tone: 'good' });
        }));
    case 'all':
      return withPerson(turn, deps, command.from, (ref) => ({ name: 'reassign', command: { ...command, from: ref } }), (from) =>
        withPerson(turn, deps, command.to, (ref) => ({ name: 'reassign', command: { ...command, from: `id:${from.id}`, to: ref } }), async (to) => {
          const result = await reassignAll(deps, actor, from, to);
          const names = { from: mdInline(from.name, 80), to: mdInline(to.name, 80) };
          const counts = { moved: result.moved.length, already: result.alreadyMoved.length, refused: result.refused.length };
          const summary = counts.moved + counts.already + counts.refused === 0 ? t('reassign.none', names) : t('reassign.all', { ...names, ...counts });
          const refusals = result.refused.map((r) => t('reassign.refusedDeal', { id: r.id, reason: errorText(turn, r.error) }));
          return cardReply(messageCard(t, [summary, ...refusals].join('\n\n')));
        }));
  }
}
