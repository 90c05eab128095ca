import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { print } from 'graphql';
import { encodeCertificateId } from '../../../src/domain/global-id';
import { DEMO } from '../../../src/emulator/state/demo';
import { CertificateDocument } from '../../generated/graphql';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';

const root = join(__dirname, '..', '..', '..');

/** `node src/main.ts` as production starts it, pointed at the test's emulator; resolves with its GraphQL URL. */
function startGatewayProcess(emulator: TestEmulator): Promise<{ child: ChildProcess; graphqlUrl: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['-r', './scripts/ts-register.js', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      GATEWAY_MODE: 'cloud',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'emulator-key',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'emulator-secret',
      ESA_ENDPOINT: emulator.endpoint,
      SLB_ENDPOINT: emulator.endpoint,
      ALIBABA_CLOUD_PROTOCOL: 'http',
      LOG_LEVEL: 'warn',
      AUTH_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const listening = output.split('\n').find((line) => line.includes('"gateway listening"'));
      if (listening) resolve({ child, graphqlUrl: (JSON.parse(listening) as { graphql: string }).graphql, exited });
    });
    child.once('exit', (code) => reject(new Error(`the gateway exited (${code}) before listening: ${output}`)));
  });
}

describe('stopping the gateway with SIGTERM', () => {
  let emulator: TestEmulator;

  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.stop());

  it('answers every request already in flight, refuses new ones, and exits 0', async () => {
    const { child, graphqlUrl, exited } = await startGatewayProcess(emulator);
    await emulator.admin('POST', 'faults', { product: 'ESA', action: 'GetCertificate', latencyMs: 1_000 });
    const query = print(CertificateDocument);
    const ids = Object.values(DEMO.edgeCertificates).map((nativeId) => encodeCertificateId({ provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: DEMO.sites.example, nativeId }));
    const inFlight = ids.map((id) =>
      fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { id } }) }).then(
        async (response) => ({ status: response.status, body: (await response.json()) as { data?: { certificate?: { nativeId: string } } } }),
      ),
    );
    // Let the requests reach the cloud call before the signal.
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGTERM');
    const answers = await Promise.all(inFlight);
    expect(answers.map((answer) => [answer.status, answer.body.data?.certificate?.nativeId])).toEqual(
      Object.values(DEMO.edgeCertificates).map((nativeId) => [200, nativeId]),
    );
    expect(await exited).toBe(0);
    await expect(fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ sites { id } }' }) })).rejects.toThrow();
  });
});
