import { z } from 'zod';

/** A FactSet's row, or a ChoiceSet's choice: the title shown and its value. */
export const Fact = z.strictObject({ title: z.string(), value: z.string() });

/** The line of news at the top of a card (cards/banner.ts builds it). */
export const BannerView = z.strictObject({ text: z.string(), color: z.enum(['Good', 'Warning']) });

/** A line of text in a list (history entries, digest lines). */
export const TextLine = z.strictObject({ text: z.string() });

/** A page button of a paged list (history, approval trail): it asks for the page ending at `end`. */
export const PageButton = z.strictObject({ title: z.string(), verb: z.string(), dealId: z.string(), end: z.number() });

/** The money-by-stage bar chart (pipeline, digest). */
export const StageChart = z.strictObject({
  title: z.string(),
  bars: z.array(z.strictObject({ x: z.string(), y: z.number(), text: z.string() })),
});

/** The attainment gauge (quota, digest). */
export const QuotaGauge = z.strictObject({
  title: z.string(),
  value: z.number(),
  max: z.number(),
  subLabel: z.string(),
  text: z.string(),
  segments: z.array(z.strictObject({ size: z.number(), color: z.string(), legend: z.string() })),
});

/** The top of a form card (CSAT, delivery plan): the news banner, the error line, the heading, an intro and facts. */
export const FormHead = {
  banner: BannerView,
  error: z.string(),
  heading: z.string(),
  intro: z.string(),
  facts: z.array(Fact),
};
