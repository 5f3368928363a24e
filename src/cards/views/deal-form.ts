import { z } from 'zod';
import { Fact } from './parts';

/** What cards/deal-form.json reads. */
export const DealFormView = z.strictObject({
  heading: z.string(),
  error: z.string(),
  dealId: z.string(),
  rev: z.number(),
  values: z.strictObject({
    account: z.string(),
    title: z.string(),
    serviceLines: z.string(),
    value: z.string(),
    currency: z.string(),
    closeDate: z.string(),
    probability: z.number(),
    nextStep: z.string(),
  }),
  labels: z.strictObject({
    account: z.string(),
    title: z.string(),
    serviceLines: z.string(),
    value: z.string(),
    currency: z.string(),
    closeDate: z.string(),
    probability: z.string(),
    nextStep: z.string(),
  }),
  placeholders: z.strictObject({
    account: z.string(),
    title: z.string(),
    value: z.string(),
    nextStep: z.string(),
  }),
  errors: z.strictObject({
    account: z.string(),
    title: z.string(),
    serviceLines: z.string(),
    closeDate: z.string(),
  }),
  serviceLineChoices: z.array(Fact),
  currencyChoices: z.array(Fact),
  submit: z.strictObject({
    title: z.string(),
    verb: z.string(),
  }),
  cancel: z.strictObject({
    title: z.string(),
    verb: z.string(),
  }),
  speak: z.string().optional(),
});

export type DealFormView = z.input<typeof DealFormView>;
