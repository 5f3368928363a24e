import type { NudgeCommand } from './parse-nudge-command';
import type { Reply, Turn } from './reply';
import type { ChatDeps } from './run-command';

/** Answers a nudge command. Domain errors propagate to the caller, which words them. */
export async function runNudgeCommand(_turn: Turn, _deps: ChatDeps, command: NudgeCommand): Promise<Reply> {
  return command;
}
