import type { Command } from './command';

/** The quota commands (issue 5). */
export type QuotaCommand = never;

/** Reads a quota command from normalised text (`lower` is its lower-case form), or undefined when it is none. */
export function parseQuotaCommand(_lower: string, _text: string): Command | undefined {
  return undefined;
}
