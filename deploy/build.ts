import { join } from 'node:path';
import { buildArtifact } from './build-artifact';

/**
 * `npm run build`: dist/ (what the container copies and `npm run start:dist` runs) and build/dealdesk.zip (the same
 * files, for App Service: `az webapp deploy --src-path build/dealdesk.zip --type zip`).
 */
const root = join(__dirname, '..');
buildArtifact({ root, outDir: join(root, 'dist'), zipTo: join(root, 'build', 'dealdesk.zip') }).then(
  (a) => console.log(`dist/: ${(a.bytes / 1e6).toFixed(1)} MB; App Service package: build/dealdesk.zip`),
  (e) => {
    console.error(`npm run build failed: ${(e as Error).message}`);
    process.exit(1);
  },
);
