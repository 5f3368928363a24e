import { extractUpdate } from '../domain/understand/extract-update';
import type { UpdateContext, UpdateProposal } from '../domain/understand/update-proposal';
import type { UpdateReader } from '../ports/update-reader.port';

/** The default reader: the deterministic extractor (domain/understand), no model, no network. */
export class OfflineUpdateReader implements UpdateReader {
  readonly kind = 'offline' as const;

  async read(text: string, context: UpdateContext): Promise<UpdateProposal> {
    return extractUpdate(text, context);
  }
}
