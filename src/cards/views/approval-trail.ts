import { z } from 'zod';
import { PageButton, TextLine } from './parts';

/** What cards/approval-trail.json reads. */
export const ApprovalTrailView = z.strictObject({
  heading: z.string(),
  empty: z.string(),
  range: z.string(),
  entries: z.array(TextLine),
  buttons: z.array(PageButton),
  speak: z.string().optional(),
});

export type ApprovalTrailView = z.input<typeof ApprovalTrailView>;
