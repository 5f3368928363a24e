import type { QuotaCommand } from './parse-quota-command';
import type { Reply, Turn } from './reply';
import type { ChatDeps } from './run-command';

/** Answers a quota command. Domain errors propagate to the caller, which words them. */
export async function runQuotaCommand(_turn: Turn, _deps: ChatDeps, command: QuotaCommand): Promise<Reply> {
  return command;
}
