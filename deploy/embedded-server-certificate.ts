import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Plugin } from 'esbuild';

/**
 * The embedded Cosmos-compatible server (local mode) reads its self-signed certificate and key from files next to its
 * own code (`join(__dirname, "..", "cert.pem")`), which a bundle does not have. This puts the two files' text into
 * the bundle where they are read. The build fails when the server's code no longer reads them this way (a new
 * version of @vercel/cosmosdb-server), rather than the local mode of the artifact failing at start.
 */
export const embeddedServerCertificate: Plugin = {
  name: 'embedded-server-certificate',
  setup(build) {
    build.onLoad({ filter: /[\\/]@vercel[\\/]cosmosdb-server[\\/]lib[\\/]index\.js$/ }, (args) => {
      const packageDir = join(dirname(args.path), '..');
      let found = 0;
      const contents = readFileSync(args.path, 'utf8').replace(
        /\(0, fs_1\.readFileSync\)\(\(0, path_1\.join\)\(__dirname, "\.\.", "(cert|key)\.pem"\)\)/g,
        (_, name: string) => {
          found += 1;
          return JSON.stringify(readFileSync(join(packageDir, `${name}.pem`), 'utf8'));
        },
      );
      if (found !== 2) throw new Error(`${args.path}: expected to read cert.pem and key.pem next to itself (found ${found} of 2); see deploy/embedded-server-certificate.ts`);
      return { contents, loader: 'js' };
    });
  },
};
