import { startGateway } from './app';
import { ConfigError, parseConfig } from './config';

/** `npm start`: settings, then the gateway; nothing else. */
async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const gateway = await startGateway(config);
  const log = (msg: string, fields: Record<string, unknown>) =>
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg, ...fields })}\n`);
  log('gateway listening', {
    mode: config.mode,
    graphql: gateway.graphqlUrl,
    ...(config.production ? {} : { sandbox: `${gateway.graphqlUrl} (open in a browser)` }),
    ...(gateway.emulator ? { emulator: gateway.emulator.url } : {}),
  });
  if (gateway.emulator) {
    process.stdout.write(`\nCertificate gateway (local mode, embedded emulator with demo data)\n  GraphQL: ${gateway.graphqlUrl}\n  Sandbox: ${gateway.graphqlUrl} (open in a browser)\n\n`);
  }
  const shutdown = (signal: string) => {
    log('gateway stopping: draining in-flight requests', { signal });
    // A second signal means now.
    process.once(signal, () => process.exit(1));
    gateway.stop().then(
      () => {
        log('gateway stopped', {});
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`gateway did not stop cleanly: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`gateway failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
