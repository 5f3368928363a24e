import type { Command } from './command';

/** The nudge commands (issue 5). */
export type NudgeCommand = never;

/** Reads a nudge command from normalised text (`lower` is its lower-case form), or undefined when it is none. */
export function parseNudgeCommand(_lower: string, _text: string): Command | undefined {
  return undefined;
}
