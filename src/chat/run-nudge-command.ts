import { listStaleDeals } from '../app/stale-deals';
import { nudgeCard } from '../cards/nudge-card';
import type { NudgeCommand } from './command';
import { cardReply, type Reply, type Turn } from './reply';
import type { ChatDeps } from './chat-deps';

/** Answers a nudge command. Domain errors propagate to the caller, which words them. */
export async function runNudgeCommand(turn: Turn, deps: ChatDeps, command: NudgeCommand): Promise<Reply> {
  switch (command.name) {
    case 'stale': {
      const { rows } = await listStaleDeals(deps, turn.actor);
      return cardReply(nudgeCard(turn.t, turn.locale, rows, { staleAfterDays: deps.settings.schedule.staleAfterDays }));
    }
  }
}
