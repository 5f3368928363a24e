import type { Database } from '@azure/cosmos';
import type { LegacyContainerId } from '../containers';
import { readMarker } from './layout-marker';
import { legacyContainersIn, LayoutMigrationError } from './migrate-layout';

/**
 * Deletes the legacy containers, only once the marker says their data moved (`npm run migrate -- --drop-legacy`; never at
 * start-up). Until then they are the copy to go back to. Resolves with the containers deleted.
 */
export async function dropLegacy(database: Database): Promise<LegacyContainerId[]> {
  const present = await legacyContainersIn(database);
  if (present.length === 0) return [];
  if ((await readMarker(database.container('settings')))?.state !== 'done') {
    throw new LayoutMigrationError('the legacy containers are kept: their data has not been moved yet');
  }
  for (const id of present) await database.container(id).delete();
  return present;
}
