import { type EmulatorOptions } from './emulator';

/**
 * `EMULATOR_PORT`, `EMULATOR_HOST`, `EMULATOR_ACCESS_KEYS` (`id:secret[,id:secret...]`) and
 * `--state FILE`. Returns the options, or the one line that says what is wrong.
 */
export function parseEmulatorSettings(env: NodeJS.ProcessEnv, argv: string[]): EmulatorOptions | string {
  const port = env.EMULATOR_PORT === undefined || env.EMULATOR_PORT === '' ? 4010 : Number(env.EMULATOR_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) return `EMULATOR_PORT must be a port number (0-65535), got "${env.EMULATOR_PORT}".`;

  const keys = new Map<string, string>();
  for (const pair of (env.EMULATOR_ACCESS_KEYS || 'emulator-key:emulator-secret').split(',')) {
    const at = pair.indexOf(':');
    const id = pair.slice(0, at).trim();
    const secret = pair.slice(at + 1).trim();
    if (at <= 0 || id === '' || secret === '') return 'EMULATOR_ACCESS_KEYS must be id:secret[,id:secret...].';
    keys.set(id, secret);
  }

  let stateFile: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--state') stateFile = argv[++i];
    else if (arg.startsWith('--state=')) stateFile = arg.slice('--state='.length);
    else return `Unknown argument "${arg}". Usage: emulator [--state FILE]`;
    if (!stateFile) return '--state needs a file path.';
  }

  return { port, host: env.EMULATOR_HOST || '127.0.0.1', accessKeys: keys, ...(stateFile ? { stateFile } : {}) };
}
