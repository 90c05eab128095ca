import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';

/**
 * The floor the gateway's cached path is measured against: a bare `node:http` handler that reads the
 * request, does one Redis GET of a body the gateway produced earlier, and answers it verbatim. Anything
 * the gateway spends beyond this is GraphQL, the cache layer's bookkeeping and the framework.
 *
 * Env: REDIS_URL, BASELINE_KEY (the key holding the body), PORT (0 for any). Prints one JSON line
 * with its URL when it listens; exits on SIGTERM.
 */
const redisUrl = process.env.REDIS_URL;
const key = process.env.BASELINE_KEY;
if (!redisUrl || !key) {
  process.stderr.write('baseline-server needs REDIS_URL and BASELINE_KEY.\n');
  process.exit(2);
}

const redis = new Redis(redisUrl);
redis.on('error', (error: Error) => process.stderr.write(`redis: ${error.message}\n`));

const server = createServer((request, response) => {
  // The body is read to the end, as the gateway must, so both pay for receiving it.
  request.on('data', () => undefined);
  request.on('end', () => {
    redis.getBuffer(key).then(
      (body) => {
        if (body === null) {
          response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
          response.end('{"errors":[{"message":"the baseline body is not in Redis"}]}');
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
        response.end(body);
      },
      (error: Error) => {
        response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify({ errors: [{ message: error.message }] }));
      },
    );
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ msg: 'baseline listening', url: `http://127.0.0.1:${port}` })}\n`);
});

process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  redis.disconnect();
});
