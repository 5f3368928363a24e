import { z } from 'zod';

/** What cards/history.json reads. */
export const HistoryView = z.strictObject({
  heading: z.string(),
  range: z.string(),
  entries: z.array(z.strictObject({
    text: z.string(),
  })),
  buttons: z.array(z.strictObject({
    title: z.string(),
    verb: z.string(),
    dealId: z.string(),
    end: z.number(),
  })),
  speak: z.string().optional(),
});

export type HistoryView = z.input<typeof HistoryView>;
