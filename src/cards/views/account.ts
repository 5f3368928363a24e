import { z } from 'zod';

/** What cards/account.json reads. */
export const AccountView = z.strictObject({
  heading: z.string(),
  openHeading: z.string(),
  openEmpty: z.string(),
  openDeals: z.array(z.strictObject({
    line: z.string(),
  })),
  wonHeading: z.string(),
  won: z.string(),
  csatHeading: z.string(),
  csatAverage: z.string(),
  trendTitle: z.string(),
  trendLegend: z.string(),
  trend: z.array(z.strictObject({
    x: z.string(),
    y: z.number(),
    label: z.string(),
  })),
  lowHeading: z.string(),
  lowEmpty: z.string(),
  openLow: z.array(z.strictObject({
    line: z.string(),
  })),
  buttons: z.strictObject({
    pipeline: z.string(),
  }),
  speak: z.string().optional(),
});

export type AccountView = z.input<typeof AccountView>;
