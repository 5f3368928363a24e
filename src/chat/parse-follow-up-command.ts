import type { Command } from './command';

/** The followUp commands (issue 5). */
export type FollowUpCommand = never;

/** Reads a followUp command from normalised text (`lower` is its lower-case form), or undefined when it is none. */
export function parseFollowUpCommand(_lower: string, _text: string): Command | undefined {
  return undefined;
}
