import { ConfigError } from './config';

/** `npm start -- --demo` is DEMO=on; any other argument is a mistake, reported like a bad setting. */
export function startArgs(args: readonly string[], env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const unknown = args.filter((a) => a !== '--demo');
  if (unknown.length > 0) throw new ConfigError(`unknown argument ${unknown[0]}: the only one is --demo (a seeded demo tenant; also DEMO=on)`);
  return args.includes('--demo') ? { ...env, DEMO: 'on' } : env;
}
