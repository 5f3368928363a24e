import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { performance } from 'node:perf_hooks';
import { unzipSync } from 'fflate';
import { literal, readInfra, withoutComments } from '../infra/bicep-text';
import { emulateImage, parseDockerfile } from './dockerfile';

export const ROOT = join(__dirname, '..', '..');

/**
 * One shipped way to start DealDesk, read from the file that ships it: the folder its deploy step leaves (with
 * nothing else in it) and its command. `argv[0]` is this test's node (process.execPath), so a run on Node 22 starts
 * every way on Node 22 too.
 */
export interface ShippedWay {
  name: string;
  cwd: string;
  argv: string[];
  /** What the way itself sets (the image's ENV); the test adds a mode's settings. */
  env: NodeJS.ProcessEnv;
  /** The command as the file writes it. */
  command: string;
}

let built = false;
/** `npm run build` (dist/ and build/dealdesk.zip), once per test process. */
export function buildOnce(): void {
  if (built) return;
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe', env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` } });
  built = true;
}

/** A new empty folder under the OS's temp directory, with no node_modules in it or in any folder above it. */
export function freshFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `dealdesk-${prefix}-`));
  for (let d = dir; d !== parse(d).root; d = dirname(d)) {
    if (existsSync(join(dirname(d), 'node_modules'))) throw new Error(`${dirname(d)}/node_modules would be found from ${dir}: the shipped artifact must run without it`);
  }
  return dir;
}

/** `node --flag dist/main.js` → [process.execPath, '--flag', 'dist/main.js']; every shipped way runs node itself. */
export function nodeCommand(where: string, words: string[]): string[] {
  if (words[0] !== 'node') throw new Error(`${where}: "${words.join(' ')}" does not start node itself (node must be the process that gets SIGTERM)`);
  return [process.execPath, ...words.slice(1)];
}

/** The container: the folder the Dockerfile's final stage lays out (its build stage emulated), its ENV and CMD. */
export function containerImage(into: string): ShippedWay & { startPeriodMs?: number; user?: string } {
  const image = emulateImage(ROOT, 'Dockerfile', into);
  return { name: 'the container (Dockerfile CMD)', cwd: image.workdir, argv: nodeCommand('Dockerfile CMD', image.command), env: image.env, command: image.command.join(' '), startPeriodMs: image.startPeriodMs, user: image.user };
}

/** The command line App Service runs (infra/modules/web-app.bicep, siteConfig.appCommandLine). */
export function appServiceCommand(): string {
  const m = /^\s*appCommandLine:\s*('(?:[^'\\]|\\.)*')/m.exec(withoutComments(readInfra('modules/web-app.bicep')));
  const command = m ? literal(m[1]) : undefined;
  if (!command) throw new Error('infra/modules/web-app.bicep: no appCommandLine string');
  return command;
}

/** App Service: build/dealdesk.zip (what `az webapp deploy` uploads) unpacked into an empty wwwroot, and appCommandLine. */
export function appServicePackage(into: string): ShippedWay {
  const wwwroot = join(into, 'wwwroot');
  for (const [name, data] of Object.entries(unzipSync(readFileSync(join(ROOT, 'build', 'dealdesk.zip'))))) {
    if (name.endsWith('/')) continue;
    mkdirSync(dirname(join(wwwroot, name)), { recursive: true });
    writeFileSync(join(wwwroot, name), data);
  }
  const command = appServiceCommand();
  return { name: 'App Service (appCommandLine)', cwd: wwwroot, argv: nodeCommand('appCommandLine', command.split(/\s+/)), env: {}, command };
}

/** package.json's start:dist. */
export function startDistScript(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start:dist'];
}

/** `npm run start:dist`: dist/ as `npm run build` leaves it, alone in a folder, and the script's command. */
export function startDist(into: string): ShippedWay {
  cpSync(join(ROOT, 'dist'), join(into, 'dist'), { recursive: true });
  const command = startDistScript();
  return { name: 'npm run start:dist', cwd: into, argv: nodeCommand('package.json start:dist', command.split(/\s+/)), env: {}, command };
}

export interface Running {
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  url: string;
  readyMs: number;
  output(): string;
  /** SIGTERM; resolves with the exit code and how long the exit took (SIGKILL after 15 s). */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/**
 * Starts a way with only `env` (and PATH) in its environment, in its folder, and polls GET /readyz until it
 * answers 200; fails with the process's output when it exits first or is not ready within `budgetMs`.
 */
export async function startWay(way: ShippedWay, env: NodeJS.ProcessEnv, port: number, budgetMs: number): Promise<Running> {
  const started = performance.now();
  const child = spawn(way.argv[0], way.argv.slice(1), { cwd: way.cwd, env: { PATH: process.env.PATH, ...way.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    const t0 = performance.now();
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    clearTimeout(force);
    return { code: child.exitCode, signal: child.signalCode, ms: performance.now() - t0 };
  };
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${way.name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${out}`);
    const readyMs = performance.now() - started;
    if (readyMs > budgetMs) {
      await stop();
      throw new Error(`${way.name} was not ready within ${budgetMs} ms:\n${out}`);
    }
    const status = await fetch(`${url}/readyz`).then((r) => (r.body?.cancel(), r.status), () => 0);
    if (status === 200) return { child, url, readyMs, output: () => out, stop };
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const SIGTERM_BUDGET_MS = 10_000;

/**
 * The user story of every shipped way: started with `env` in its fresh folder it is ready (GET /readyz 200) within
 * `budgetMs`, `turns` run against it, and SIGTERM stops it with exit code 0 within 10 s.
 */
export async function startTurnsStop(way: ShippedWay, env: NodeJS.ProcessEnv, port: number, budgetMs: number, turns: (url: string) => Promise<void>): Promise<{ readyMs: number; stopMs: number; output: string }> {
  const running = await startWay(way, env, port, budgetMs);
  try {
    await turns(running.url);
    // /readyz answers once DealDesk serves; what it prints for its operator (the store, the probes) follows a moment
    // later (local roles are given first): a stop is sent once it has said it is listening, as an operator would.
    const said = performance.now();
    while (!/DealDesk is listening on /.test(running.output())) {
      if (performance.now() - said > SIGTERM_BUDGET_MS) throw new Error('it never said it was listening');
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (e) {
    await running.stop();
    throw Object.assign(e as Error, { message: `${(e as Error).message}\n--- ${way.name} printed:\n${running.output()}` });
  }
  const stopped = await running.stop();
  const output = running.output();
  if (stopped.code !== 0) throw new Error(`${way.name} exited with ${stopped.code ?? stopped.signal} on SIGTERM:\n${output}`);
  if (stopped.ms > SIGTERM_BUDGET_MS) throw new Error(`${way.name} took ${Math.round(stopped.ms)} ms to stop on SIGTERM:\n${output}`);
  return { readyMs: running.readyMs, stopMs: stopped.ms, output };
}

/**
 * How long a way may take from start to ready: the container's HEALTHCHECK --start-period, the shortest an
 * orchestrator of these ways waits (App Service waits up to 230 s for a start).
 */
export function startBudgetMs(): number {
  const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  const check = stages.at(-1)!.instructions.find((i) => i.keyword === 'HEALTHCHECK');
  const period = check && /--start-period=(\d+)s\b/.exec(check.args);
  if (!period) throw new Error('Dockerfile: the final stage has no HEALTHCHECK --start-period=<n>s');
  return Number(period[1]) * 1000;
}
