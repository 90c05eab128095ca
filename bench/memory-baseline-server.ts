import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

/**
 * The lowest floor for the gateway's cached path: a bare `node:http` handler that reads the request
 * to its end and answers bytes it holds in memory, with no Redis round trip. The gateway's response
 * cache also answers a repeated query from memory, so this is what its cached path could cost at
 * best; the Redis-GET baseline (`baseline-server.ts`) is the floor of a gateway that asks Redis.
 *
 * Env: BASELINE_BODY_FILE (the body the gateway produced, read once at start), PORT (0 for any).
 * Prints one JSON line with its URL when it listens; exits on SIGTERM.
 */
const file = process.env.BASELINE_BODY_FILE;
if (!file) {
  process.stderr.write('memory-baseline-server needs BASELINE_BODY_FILE.\n');
  process.exit(2);
}
const body = readFileSync(file);

const server = createServer((request, response) => {
  // The body is read to the end, as the gateway must, so both pay for receiving it.
  request.on('data', () => undefined);
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    response.end(body);
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ msg: 'memory baseline listening', url: `http://127.0.0.1:${port}` })}\n`);
});

process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
