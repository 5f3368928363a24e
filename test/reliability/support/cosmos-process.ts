import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * The embedded Cosmos server in a process of its own, as a real store is on another machine: the test process then
 * serves only the fake Teams, so the time it stamps on each request is when the request arrived, not when an event
 * loop busy with three instances' store traffic got round to it.
 */
export async function startCosmosProcess(): Promise<{ endpoint: string; key: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'cosmos-main.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const started = await new Promise<{ endpoint: string; key: string }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as { endpoint: string; key: string });
    });
    child.once('exit', (code) => reject(new Error(`the store process exited (${code}): ${out}`)));
  });
  return {
    ...started,
    close: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    }),
  };
}
