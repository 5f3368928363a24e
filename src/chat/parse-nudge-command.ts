import type { Command, NudgeCommand } from './command';

const STALE = /^(stale|stale deals|nudge|nudges|my nudges|停滞|停滞商机)$/;

/** Reads a nudge command from normalised text (`lower` is its lower-case form), or undefined when it is none. */
export function parseNudgeCommand(lower: string, _text: string): Command | undefined {
  return STALE.test(lower) ? { name: 'nudge', command: { name: 'stale' } } : undefined;
}
