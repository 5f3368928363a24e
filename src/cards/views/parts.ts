import { z } from 'zod';

/** A FactSet's row, or a ChoiceSet's choice: the title shown and its value. */
export const Fact = z.strictObject({ title: z.string(), value: z.string() });

/** The line of news at the top of a card (cards/banner.ts builds it). */
export const BannerView = z.strictObject({ text: z.string(), color: z.enum(['Good', 'Warning']) });
