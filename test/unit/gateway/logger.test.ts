import { Writable } from 'node:stream';
import { createLogger } from '../../../src/server/logger';

const KEY_PEM = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n';

/** A logger at `level` whose lines land in the returned array, parsed. */
function capturingLogger(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger(level, stream), lines };
}

describe('createLogger', () => {
  it.each([
    ['privateKey', { privateKey: KEY_PEM }, ['privateKey']],
    ['a privateKey one level down', { input: { privateKey: KEY_PEM } }, ['input', 'privateKey']],
    ['an authorization field', { authorization: 'Bearer caller-key-0123456789' }, ['authorization']],
    ['an authorization header', { headers: { authorization: 'Bearer caller-key-0123456789' } }, ['headers', 'authorization']],
    ["a request's authorization header", { request: { headers: { authorization: 'Bearer caller-key-0123456789' } } }, ['request', 'headers', 'authorization']],
    ['accessKeySecret', { accessKeySecret: 'emulator-secret' }, ['accessKeySecret']],
    ['an accessKeySecret one level down', { credentials: { accessKeyId: 'emulator-key', accessKeySecret: 'emulator-secret' } }, ['credentials', 'accessKeySecret']],
    ['GraphQL variables', { variables: { input: { privateKey: KEY_PEM } } }, ['variables']],
    ["a request's GraphQL variables", { request: { variables: { input: { privateKey: KEY_PEM } } } }, ['request', 'variables']],
  ])('redacts %s', (_case, fields, path) => {
    const { logger, lines } = capturingLogger('debug');

    logger.debug(fields, 'event');

    expect(lines).toHaveLength(1);
    expect(path.reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], lines[0])).toBe('[redacted]');
    const text = JSON.stringify(lines[0]);
    for (const secret of ['PRIVATE KEY', 'caller-key-0123456789', 'emulator-secret']) expect(text).not.toContain(secret);
  });

  it('keeps the fields that are not secret', () => {
    const { logger, lines } = capturingLogger('debug');

    logger.info({ requestId: 'r-1', credentials: { accessKeyId: 'emulator-key', accessKeySecret: 'emulator-secret' } }, 'event');

    expect(lines[0]).toMatchObject({ msg: 'event', requestId: 'r-1', credentials: { accessKeyId: 'emulator-key', accessKeySecret: '[redacted]' } });
  });

  it('writes nothing below its level', () => {
    const { logger, lines } = capturingLogger('warn');

    logger.info({ requestId: 'r-1' }, 'event');
    logger.debug({ requestId: 'r-2' }, 'event');

    expect(lines).toEqual([]);
  });
});
