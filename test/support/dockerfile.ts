import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, posix, relative } from 'node:path';

/**
 * Just enough of a Dockerfile to stand in for `docker build` and `docker run` where there is no Docker engine: the
 * stages and their instructions are read from the file, and an image is emulated as a folder laid out by the final
 * stage's COPY steps (a build stage is emulated the same way and its RUN steps run). An instruction the emulation does
 * not know fails the test, so the Dockerfile cannot drift away from what is tested.
 */
export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const logical: Array<{ text: string; line: number }> = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    if (!pending && /^\s*(#|$)/.test(line)) return;
    if (!pending) start = i + 1;
    if (pending && /^\s*#/.test(line)) return; // a comment inside a continued instruction
    if (line.endsWith('\\')) pending += `${line.slice(0, -1)} `;
    else {
      logical.push({ text: (pending + line).trim(), line: start });
      pending = '';
    }
  });
  for (const { text: l, line } of logical) {
    const m = /^(\w+)\s+([\s\S]*)$/.exec(l);
    if (!m) throw new Error(`Dockerfile line ${line}: cannot read "${l}"`);
    const keyword = m[1].toUpperCase();
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(m[2].trim());
      if (!from) throw new Error(`Dockerfile line ${line}: cannot read FROM ${m[2]}`);
      stages.push({ image: from[1], name: from[2], instructions: [] });
    } else {
      if (!stages.length) throw new Error(`Dockerfile line ${line}: ${keyword} before FROM`);
      stages.at(-1)!.instructions.push({ keyword, args: m[2].trim(), line });
    }
  }
  return stages;
}

/** The exec form `["a", "b"]` of CMD or ENTRYPOINT; the shell form is refused (sh as PID 1 would not pass SIGTERM on). */
export function execForm(instruction: Instruction): string[] {
  try {
    const argv = JSON.parse(instruction.args) as unknown;
    if (Array.isArray(argv) && argv.every((a) => typeof a === 'string')) return argv;
  } catch {
    // below
  }
  throw new Error(`Dockerfile line ${instruction.line}: ${instruction.keyword} must be in exec form (["node", …]) so that node is PID 1 and receives SIGTERM`);
}

/** `ENV A=1 B="two"` (or the old `ENV A 1`) → { A: '1', B: 'two' }. */
export function envOf(args: string): Record<string, string> {
  const env: Record<string, string> = {};
  if (!/^\w+=/.test(args)) {
    const [name, ...rest] = args.split(/\s+/);
    env[name] = rest.join(' ');
    return env;
  }
  for (const m of args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g)) env[m[1]] = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2];
  return env;
}

export interface EmulatedImage {
  /** The folder standing for the image's file system root. */
  root: string;
  /** WORKDIR of the final stage, inside `root`. */
  workdir: string;
  env: Record<string, string>;
  /** ENTRYPOINT + CMD, exec form. */
  command: string[];
  user?: string;
  /** HEALTHCHECK --start-period, ms (how long the orchestrator waits for a start). */
  startPeriodMs?: number;
}

interface StageFs {
  root: string;
  workdir: string;
}

/** `.dockerignore` lines as (negated?, pattern); a pattern matches a path from the context root, `*` within one segment. */
function ignoreRules(context: string): Array<{ negate: boolean; re: RegExp }> {
  const file = join(context, '.dockerignore');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = posix.normalize((negate ? l.slice(1) : l).replace(/^\/+/, ''));
      const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\u0000/g, '.*');
      // A pattern naming a directory excludes everything under it.
      return { negate, re: new RegExp(`^${body}(/.*)?$`) };
    });
}

function ignored(rules: ReturnType<typeof ignoreRules>, path: string): boolean {
  let out = false;
  for (const rule of rules) if (rule.re.test(path)) out = !rule.negate;
  return out;
}

/**
 * Emulates `docker build` up to the final stage and lays the final stage out under a fresh folder in `into`: COPY
 * from the build context (honouring .dockerignore) and from earlier stages (emulated likewise), WORKDIR, ENV, USER,
 * CMD/ENTRYPOINT, HEALTHCHECK. RUN steps are run only where the emulation knows what they do: `npm ci …` (the
 * context's installed node_modules stand in for the install; a production-only install cannot be stood in for), `npm run <script>` (run in the stage's folder) and
 * `mkdir`; anything else fails.
 */
export function emulateImage(context: string, dockerfile: string, into: string): EmulatedImage {
  const stages = parseDockerfile(readFileSync(join(context, dockerfile), 'utf8'));
  const rules = ignoreRules(context);
  const built = new Map<string, StageFs>();
  let final: EmulatedImage | undefined;
  stages.forEach((stage, index) => {
    const root = join(into, `stage-${index}${stage.name ? `-${stage.name}` : ''}`);
    mkdirSync(root, { recursive: true });
    const fs: StageFs = { root, workdir: '/' };
    const image: EmulatedImage = { root, workdir: join(root, '/'), env: {}, command: [] };
    let entrypoint: string[] = [];
    let cmd: string[] = [];
    const inStage = (p: string) => join(root, posix.resolve(fs.workdir, p));
    for (const ins of stage.instructions) {
      switch (ins.keyword) {
        case 'WORKDIR':
          fs.workdir = posix.resolve(fs.workdir, ins.args);
          mkdirSync(join(root, fs.workdir), { recursive: true });
          break;
        case 'ENV':
          Object.assign(image.env, envOf(ins.args));
          break;
        case 'COPY': {
          const words = ins.args.split(/\s+/);
          const flags = words.filter((w) => w.startsWith('--'));
          const paths = words.filter((w) => !w.startsWith('--'));
          const from = flags.find((f) => f.startsWith('--from='))?.slice(7);
          const dest = paths.pop()!;
          const source = from ? built.get(from) : undefined;
          if (from && !source) throw new Error(`Dockerfile line ${ins.line}: COPY --from=${from}: no such earlier stage`);
          for (const src of paths) {
            const origin = source ? join(source.root, posix.resolve(source.workdir, src)) : join(context, src);
            if (!source && ignored(rules, posix.normalize(src))) throw new Error(`Dockerfile line ${ins.line}: COPY ${src}: excluded by .dockerignore`);
            if (!existsSync(origin)) throw new Error(`Dockerfile line ${ins.line}: COPY ${src}: not there`);
            const target = inStage(dest);
            const intoDir = dest.endsWith('/') || paths.length > 1;
            if (statSync(origin).isDirectory()) {
              cpSync(origin, target, { recursive: true, filter: (f) => source !== undefined || !ignored(rules, relative(context, f).split('\\').join('/')) });
            } else {
              mkdirSync(intoDir ? target : dirname(target), { recursive: true });
              cpSync(origin, intoDir ? join(target, basename(src)) : target);
            }
          }
          break;
        }
        case 'RUN':
          run(ins, context, root, fs.workdir);
          break;
        case 'USER':
          image.user = ins.args;
          break;
        case 'CMD':
          cmd = execForm(ins);
          break;
        case 'ENTRYPOINT':
          entrypoint = execForm(ins);
          break;
        case 'HEALTHCHECK': {
          const period = /--start-period=(\d+)(ms|s|m)\b/.exec(ins.args);
          if (period) image.startPeriodMs = Number(period[1]) * { ms: 1, s: 1000, m: 60_000 }[period[2] as 'ms' | 's' | 'm'];
          break;
        }
        case 'EXPOSE':
        case 'LABEL':
        case 'ARG':
          break;
        default:
          throw new Error(`Dockerfile line ${ins.line}: the emulation does not know ${ins.keyword}`);
      }
    }
    if (stage.name) built.set(stage.name, fs);
    built.set(String(index), fs);
    image.workdir = join(root, fs.workdir);
    image.command = [...entrypoint, ...cmd];
    final = image;
  });
  return final!;
}

function run(ins: Instruction, context: string, root: string, workdir: string): void {
  const cwd = join(root, workdir);
  for (const step of ins.args.split(/\s*&&\s*/)) {
    const words = step.trim().split(/\s+/);
    if (words[0] === 'npm' && words[1] === 'ci' && words.some((w) => /^--(omit=dev|production|only=prod)/.test(w))) {
      // This checkout's install has the dev dependencies: it cannot stand in for a production-only one.
      throw new Error(`Dockerfile line ${ins.line}: RUN ${step}: a production-only install cannot be emulated here (the artifact must run without node_modules)`);
    } else if (words[0] === 'npm' && words[1] === 'ci') {
      // The context's own install stands in for it (no registry here): what `npm ci` would put there.
      if (!existsSync(join(cwd, 'node_modules'))) symlinkSync(join(context, 'node_modules'), join(cwd, 'node_modules'), 'dir');
    } else if (words[0] === 'npm' && words[1] === 'run' && words[2]) {
      execFileSync('npm', ['run', words[2], '--silent'], { cwd, stdio: 'pipe', env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` } });
    } else if (words[0] === 'npm' && words[1] === 'cache') {
      // nothing to emulate
    } else if (words[0] === 'mkdir') {
      for (const dir of words.slice(1).filter((w) => !w.startsWith('-'))) mkdirSync(join(root, posix.resolve(workdir, dir)), { recursive: true });
    } else if (words[0] === 'chown' || words[0] === 'chmod') {
      // ownership: the tests run as one user (see the spec)
    } else {
      throw new Error(`Dockerfile line ${ins.line}: the emulation does not know RUN ${step}`);
    }
  }
}
