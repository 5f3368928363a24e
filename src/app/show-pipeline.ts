import { buildPipeline, type Pipeline } from '../domain/pipeline';
import type { Actor, AppDeps } from './context';

/** The actor's own open deals, grouped for the pipeline card. */
export async function showPipeline(deps: AppDeps, actor: Actor): Promise<Pipeline> {
  return buildPipeline(await deps.store.deals.listPipeline(actor.tenantId, actor.user.id));
}
