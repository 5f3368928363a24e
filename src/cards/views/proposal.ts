import { z } from 'zod';
import { Fact } from './parts';

/** What cards/proposal.json reads. */
export const ProposalView = z.strictObject({
  speak: z.string().optional(),
  heading: z.string(),
  intro: z.string(),
  dealLine: z.string(),
  choose: z.strictObject({
    label: z.string(),
    choices: z.array(Fact),
  }),
  noChanges: z.string(),
  rows: z.array(z.strictObject({
    label: z.string(),
    tickId: z.string(),
    inputId: z.string(),
    kind: z.string(),
    text: z.string(),
    number: z.number(),
    choices: z.array(Fact),
    said: z.string(),
  })),
  apply: z.string(),
  cancel: z.string(),
  proposalId: z.string(),
  dealId: z.string(),
});

export type ProposalView = z.input<typeof ProposalView>;
