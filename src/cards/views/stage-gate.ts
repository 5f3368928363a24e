import { z } from 'zod';
import { CommandSchema } from '../../chat/command-schema';

/** What cards/stage-gate.json reads. */
export const StageGateView = z.strictObject({
  heading: z.string(),
  intro: z.string(),
  saved: z.string(),
  error: z.string(),
  approval: z.strictObject({
    text: z.string(),
    button: z.string(),
    value: z.string(),
  }),
  inputs: z.array(z.strictObject({
    id: z.string(),
    label: z.string(),
    placeholder: z.string(),
    value: z.string(),
    required: z.boolean(),
    errorMessage: z.string(),
    multiline: z.boolean(),
  })),
  dealId: z.string(),
  rev: z.number(),
  target: z.string(),
  submit: z.string(),
  trail: z.string(),
  trailCommand: CommandSchema,
  cancel: z.string(),
  speak: z.string().optional(),
});

export type StageGateView = z.input<typeof StageGateView>;
