import { z } from 'zod';

/** What cards/my-team.json reads. */
export const MyTeamView = z.strictObject({
  heading: z.string(),
  summary: z.string(),
  columns: z.strictObject({
    name: z.string(),
    pipeline: z.string(),
    attainment: z.string(),
  }),
  members: z.array(z.strictObject({
    name: z.string(),
    pipeline: z.string(),
    attainment: z.string(),
  })),
  buttons: z.strictObject({
    quota: z.string(),
    help: z.string(),
  }),
  speak: z.string().optional(),
});

export type MyTeamView = z.input<typeof MyTeamView>;
