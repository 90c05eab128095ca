import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { DirectEsaClient } from './upstream';

/**
 * The cold path's reference: one GetCertificate through `@alicloud/openapi-client`, made from a
 * process on the gateway's core so that the call crosses the same core boundary to the emulator as
 * the gateway's own call does. Each stdin line `<siteId> <certificateId>` is one call; the answer is
 * a JSON line with the call's own duration, timed here so the request to this process is not in it.
 *
 * Env: EMULATOR_ENDPOINT (host:port), ACCESS_KEY_ID, ACCESS_KEY_SECRET.
 */
const endpoint = process.env.EMULATOR_ENDPOINT;
const accessKeyId = process.env.ACCESS_KEY_ID;
const accessKeySecret = process.env.ACCESS_KEY_SECRET;
if (!endpoint || !accessKeyId || !accessKeySecret) {
  process.stderr.write('direct-client-process needs EMULATOR_ENDPOINT, ACCESS_KEY_ID and ACCESS_KEY_SECRET.\n');
  process.exit(2);
}

const client = new DirectEsaClient({ endpoint, accessKeys: new Map([[accessKeyId, accessKeySecret]]) });
const lines = createInterface({ input: process.stdin });
let queue = Promise.resolve();

lines.on('line', (line) => {
  const [siteId, id] = line.trim().split(' ');
  // One call at a time, in the order asked: the measurement is sequential.
  queue = queue.then(async () => {
    const started = performance.now();
    let ok = true;
    try {
      await client.getCertificate(siteId ?? '', id ?? '');
    } catch {
      ok = false;
    }
    process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, ok })}\n`);
  });
});
lines.on('close', () => void queue.then(() => process.exit(0)));

process.stdout.write(`${JSON.stringify({ msg: 'direct client ready', ready: 'yes' })}\n`);
