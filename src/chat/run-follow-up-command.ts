import type { FollowUpCommand } from './parse-follow-up-command';
import type { Reply, Turn } from './reply';
import type { ChatDeps } from './run-command';

/** Answers a followUp command. Domain errors propagate to the caller, which words them. */
export async function runFollowUpCommand(_turn: Turn, _deps: ChatDeps, command: FollowUpCommand): Promise<Reply> {
  return command;
}
