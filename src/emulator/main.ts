import { parseEmulatorSettings } from './settings';
import { startEmulator } from './emulator';

/** `npm run emulator`: the emulated ESA + SLB endpoint on its own. */
async function main(): Promise<void> {
  const settings = parseEmulatorSettings(process.env, process.argv.slice(2));
  if (typeof settings === 'string') {
    process.stderr.write(`${settings}\n`);
    process.exit(2);
  }
  const emulator = await startEmulator(settings);
  const log = (message: string, fields: Record<string, unknown> = {}) =>
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: message, ...fields })}\n`);
  log('emulator listening', {
    url: emulator.url,
    accessKeyIds: [...emulator.accessKeys.keys()],
    stateFile: settings.stateFile ?? null,
    admin: `${emulator.url}/_emulator/`,
  });
  const shutdown = (signal: string) => {
    log('emulator stopping', { signal });
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
