import { z } from 'zod';
import { PageButton, TextLine } from './parts';

/** What cards/history.json reads. */
export const HistoryView = z.strictObject({
  heading: z.string(),
  range: z.string(),
  entries: z.array(TextLine),
  buttons: z.array(PageButton),
  speak: z.string().optional(),
});

export type HistoryView = z.input<typeof HistoryView>;
