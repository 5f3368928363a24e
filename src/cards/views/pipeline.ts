import { z } from 'zod';
import { Fact, StageChart } from './parts';

/** What cards/pipeline.json reads. */
export const PipelineView = z.strictObject({
  heading: z.string(),
  summary: z.string(),
  chart: StageChart,
  stages: z.array(z.strictObject({
    heading: z.string(),
    more: z.string(),
    deals: z.array(z.strictObject({
      id: z.string(),
      label: z.string(),
      value: z.string(),
      closes: z.string(),
    })),
  })),
  serviceLineHeading: z.string(),
  serviceLines: z.array(Fact),
  buttons: z.strictObject({
    newDeal: z.string(),
    help: z.string(),
  }),
  speak: z.string().optional(),
});

export type PipelineView = z.input<typeof PipelineView>;
