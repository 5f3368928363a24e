import { randomUUID } from 'node:crypto';
import { readUpdate } from '../app/read-update';
import { proposalCard } from '../cards/proposal-card';
import type { Deal } from '../domain/deal';
import type { Command } from './command';
import { proposalRows } from './proposal-fields';
import { cardReply, type Reply, type Turn } from './reply';
import type { ChatDeps } from './chat-deps';
import { runCommand } from './run-command';

/** At most this many of the user's deals are offered when the message named none. */
export const DEAL_CHOICES_MAX = 50;

/**
 * A message that is no command (issue 21): read by the update reader, with only the user's own open deals, into a
 * proposal card to confirm; nothing changes until Apply. A message it finds no deal and no change in (a note alone is
 * no finding) gets the answer it got before: "I didn't get that", with the closest command.
 */
export async function proposeUpdate(turn: Turn, deps: ChatDeps, text: string, unknown: Extract<Command, { name: 'unknown' }>): Promise<Reply> {
  let read: Awaited<ReturnType<typeof readUpdate>>;
  try {
    read = await readUpdate(deps, turn.actor, text, turn.locale);
  } catch (e) {
    deps.logger.warn({ err: e, reader: deps.updateReader.kind }, 'the update reader failed; answered as an unknown command');
    return runCommand(turn, deps, unknown);
  }
  const { proposal, deals } = read;
  const rows = proposalRows(proposal.changes);
  const named = proposal.deal;
  // A reader may only name the user's own open deals: any other id is as if it named none.
  const deal = named && 'id' in named ? deals.get(named.id) : undefined;
  const candidates = named && 'choices' in named ? named.choices.flatMap((id) => deals.get(id) ?? []) : [];
  const changes = rows.some((r) => r.field !== 'note');
  if (!deal && candidates.length === 0 && !changes) return runCommand(turn, deps, unknown);
  // Outside the user's own chat, the card is seen by everyone there: it never lists deals the message did not name.
  const offerAll = turn.place.type === 'personal';
  const choices: Deal[] = deal ? [] : (candidates.length > 0 ? candidates : offerAll ? [...deals.values()] : []).slice(0, DEAL_CHOICES_MAX);
  if (!deal && choices.length === 0) return runCommand(turn, deps, unknown);
  return cardReply(proposalCard(turn.t, { proposalId: randomUUID(), text, deal, choices, rows }));
}
