import type { Currency } from './money';
import type { Deal } from './deal';
import { isOpen } from './deal';
import { SERVICE_LINES, type ServiceLine } from './service-line';
import { STAGES, type Stage } from './stage';

export interface Totals {
  /** NWS per currency: deals in different currencies are never summed together. */
  byCurrency: Partial<Record<Currency, number>>;
  count: number;
}

/** What the pipeline shows of a deal: `my deals` reads only these fields from the store. */
export type PipelineDeal = Pick<Deal, 'id' | 'number' | 'title' | 'account' | 'stage' | 'value' | 'closeDate' | 'serviceLines'>;
export const PIPELINE_FIELDS: ReadonlyArray<keyof PipelineDeal> = ['id', 'number', 'title', 'account', 'stage', 'value', 'closeDate', 'serviceLines'];

export interface Pipeline {
  stages: Array<{ stage: Stage; deals: PipelineDeal[]; totals: Totals }>;
  serviceLines: Array<{ serviceLine: ServiceLine; totals: Totals }>;
  totals: Totals;
}

const emptyTotals = (): Totals => ({ byCurrency: {}, count: 0 });

function add(totals: Totals, deal: PipelineDeal): void {
  totals.count += 1;
  totals.byCurrency[deal.value.currency] = (totals.byCurrency[deal.value.currency] ?? 0) + deal.value.amount;
}

const bySoonestClose = (a: PipelineDeal, b: PipelineDeal) => a.closeDate.localeCompare(b.closeDate) || a.number - b.number;

/**
 * The open deals grouped by stage (soonest close first), with count and NWS per stage and per service line.
 * A deal with several service lines counts its full value under each of them.
 */
export function buildPipeline(deals: readonly PipelineDeal[]): Pipeline {
  const open = deals.filter(isOpen).sort(bySoonestClose);
  const totals = emptyTotals();
  const stages = STAGES.filter((s) => s !== 'Close').map((stage) => ({ stage, deals: [] as PipelineDeal[], totals: emptyTotals() }));
  const lines = SERVICE_LINES.map((serviceLine) => ({ serviceLine, totals: emptyTotals() }));
  for (const deal of open) {
    add(totals, deal);
    const group = stages.find((s) => s.stage === deal.stage)!;
    group.deals.push(deal);
    add(group.totals, deal);
    for (const line of lines) if (deal.serviceLines.includes(line.serviceLine)) add(line.totals, deal);
  }
  return { stages: stages.filter((s) => s.deals.length > 0), serviceLines: lines.filter((l) => l.totals.count > 0), totals };
}
