import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CARDS_DIR, type CardName, type CardViews } from '../../src/cards/render-card';

/**
 * cards/samples/<name>.json, read as the view model of its template. Not checked here: test/cards/card-views.spec.ts
 * checks every sample against its template's schema and the template's reads.
 */
export const sampleOf = <N extends CardName>(name: N): CardViews[N] => JSON.parse(readFileSync(join(CARDS_DIR, 'samples', `${name}.json`), 'utf8')) as CardViews[N];
