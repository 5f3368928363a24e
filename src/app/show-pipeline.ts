import { buildPipeline, type Pipeline } from '../domain/pipeline';
import type { Actor, AppDeps } from './context';

/** The actor's own open deals, grouped for the pipeline card. */
export async function showPipeline(deps: AppDeps, actor: Actor): Promise<Pipeline> {
  const deals = await deps.store.deals.listByOwner(actor.tenantId, actor.user.id, { openOnly: true });
  return buildPipeline(deals);
}
