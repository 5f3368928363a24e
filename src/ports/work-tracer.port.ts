/**
 * Marks one unit of background work (say, one deal's timers firing) as an operation of its own, so operators see it,
 * and the store calls it makes, together. Given by the composition root (spans, when Application Insights is on);
 * without it the work just runs. A throw from `work` passes through, marking the operation failed.
 */
export type TraceWork = <T>(name: string, work: () => Promise<T>) => Promise<T>;

export const untraced: TraceWork = (_name, work) => work();
