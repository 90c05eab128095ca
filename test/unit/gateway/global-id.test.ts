import { randomBytes } from 'node:crypto';
import { type CertificateRef } from '../../../src/domain/certificate';
import { GatewayError } from '../../../src/domain/errors/gateway-error';
import { decodeCertificateId, encodeCertificateId } from '../../../src/domain/global-id';

const REFS: CertificateRef[] = [
  { provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: '1234567890123', nativeId: 'babaded901474b9693acf530e0fb1d95' },
  { provider: 'ESA', kind: 'ORIGIN_CLIENT', accountId: 'default', siteId: '1234567890123', nativeId: 'babaabcd1f2e4d6c8b0a9e7f5d3c1b2a' },
  { provider: 'ESA', kind: 'CLIENT', accountId: 'default', siteId: '9007199254740991', nativeId: 'babab9db65ee5efcca9f3d41d4b50d66' },
  { provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'cn-hangzhou', nativeId: '1231579085529123_18b5e2c1a40_1714763408_709981430' },
  { provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'ap-southeast-1', nativeId: '30000478' },
  // Native ids may hold colons: only the first two separate kind and scope.
  { provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: '1', nativeId: 'a:b:c' },
  // Account ids may hold '.', '_' and '-', and need not be the first account.
  { provider: 'ESA', kind: 'EDGE', accountId: 'prod-eu_2.b', siteId: '1234567890123', nativeId: 'babaded901474b9693acf530e0fb1d95' },
  { provider: 'SLB', kind: 'SERVER', accountId: 'Staging', regionId: 'cn-shanghai', nativeId: '30000478' },
];

/** The account ids without one resolve in, as the gateway's first account. */
const FIRST = 'first';

/** An id whose payload is `payload`, encoded as the gateway encodes ids. */
const idOf = (payload: string) => `crt_${Buffer.from(payload, 'utf8').toString('base64url')}`;
/** The payload of an id, decoded as the gateway decodes ids. */
const payloadOf = (id: string) => Buffer.from(id.slice('crt_'.length), 'base64url').toString('utf8');

function refusal(id: string): GatewayError | undefined {
  try {
    decodeCertificateId(id, FIRST);
    return undefined;
  } catch (error) {
    return error as GatewayError;
  }
}

describe('the global certificate id', () => {
  it.each(REFS.map((ref) => [`${ref.kind} ${ref.nativeId}`, ref] as const))('round-trips %s', (_name, ref) => {
    const id = encodeCertificateId(ref);
    expect(decodeCertificateId(id, FIRST)).toEqual(ref);
    expect(encodeCertificateId(decodeCertificateId(id, FIRST))).toBe(id);
  });

  it('carries the account: refs that differ only by account get different ids, each decoding to its own account', () => {
    const ref = REFS[0] as CertificateRef;
    const elsewhere: CertificateRef = { ...ref, accountId: 'prod' };
    const [mine, theirs] = [encodeCertificateId(ref), encodeCertificateId(elsewhere)];
    expect(mine).not.toBe(theirs);
    expect(decodeCertificateId(mine, 'prod')).toEqual(ref);
    expect(decodeCertificateId(theirs, 'default')).toEqual(elsewhere);
    expect(payloadOf(theirs)).toBe(`prod/EDGE:1234567890123:${ref.nativeId}`);
  });

  it('resolves an id minted before accounts, which names none, in the first account given', () => {
    const older = idOf('EDGE:1234567890123:abc');
    const server = idOf('SERVER:cn-hangzhou:1231579085529123_18b5e2c1a40_1714763408_709981430');
    expect(decodeCertificateId(older, 'default')).toEqual({ provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: '1234567890123', nativeId: 'abc' });
    expect(decodeCertificateId(older, 'prod')).toEqual({ provider: 'ESA', kind: 'EDGE', accountId: 'prod', siteId: '1234567890123', nativeId: 'abc' });
    expect(decodeCertificateId(server, 'prod')).toEqual({
      provider: 'SLB',
      kind: 'SERVER',
      accountId: 'prod',
      regionId: 'cn-hangzhou',
      nativeId: '1231579085529123_18b5e2c1a40_1714763408_709981430',
    });
    expect(decodeCertificateId(idOf('EDGE:1:a:b:c'), 'prod')).toEqual({ provider: 'ESA', kind: 'EDGE', accountId: 'prod', siteId: '1', nativeId: 'a:b:c' });
    // Ids given out now name the account, so the certificate keeps its id whatever account comes first later.
    expect(encodeCertificateId(decodeCertificateId(older, 'prod'))).toBe(idOf('prod/EDGE:1234567890123:abc'));
  });

  it('is opaque: neither the native id nor the scope can be read off it as text', () => {
    const ref = REFS[0] as CertificateRef;
    const id = encodeCertificateId(ref);
    expect(id).toMatch(/^crt_[A-Za-z0-9_-]+$/);
    expect(id).not.toContain(ref.nativeId);
    expect(id).not.toContain('1234567890123');
  });

  it('gives different certificates different ids, also when only the kind, the scope or the account differs', () => {
    const base = { provider: 'ESA', accountId: 'default', siteId: '1234567890123', nativeId: 'same' } as const;
    const ids = [
      encodeCertificateId({ ...base, kind: 'EDGE' }),
      encodeCertificateId({ ...base, kind: 'CLIENT' }),
      encodeCertificateId({ ...base, kind: 'ORIGIN_CLIENT' }),
      encodeCertificateId({ ...base, kind: 'EDGE', siteId: '1234567890124' }),
      encodeCertificateId({ ...base, kind: 'EDGE', accountId: 'prod' }),
      encodeCertificateId({ provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'cn-hangzhou', nativeId: 'same' }),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  const junk: Array<[string, string]> = [
    ['an empty string', ''],
    ['a bare prefix', 'crt_'],
    ['a native ESA id', 'babaded901474b9693acf530e0fb1d95'],
    ['another prefix', `node_${idOf('EDGE:1234567890123:abc').slice(4)}`],
    ['the prefix in another case', `CRT_${idOf('EDGE:1234567890123:abc').slice(4)}`],
    ['standard base64 with padding', `crt_${Buffer.from('EDGE:1234567890123:abcd').toString('base64')}`],
    ['base64 characters outside the url alphabet', 'crt_RURHRTox+/'],
    ['a payload without separators', idOf('EDGE')],
    ['an unknown kind', idOf('SITE:1234567890123:abc')],
    ['a kind in lower case', idOf('edge:1234567890123:abc')],
    ['a site id with letters', idOf('EDGE:12345abc:abc')],
    ['a site id beyond 16 digits', idOf('EDGE:12345678901234567:abc')],
    ['an empty site id', idOf('EDGE::abc')],
    ['a server certificate scoped by a site id', idOf('SERVER:1234567890123:abc')],
    ['an edge certificate scoped by a region', idOf('EDGE:cn-hangzhou:abc')],
    ['a region without a dash', idOf('SERVER:hangzhou:abc')],
    ['a region in upper case', idOf('SERVER:CN-HANGZHOU:abc')],
    ['an empty native id', idOf('EDGE:1234567890123:')],
    ['a native id with spaces', idOf('EDGE:1234567890123:a b')],
    ['a native id with a slash', idOf('SERVER:cn-hangzhou:../../etc')],
    ['a native id beyond 128 characters', idOf(`EDGE:1:${'a'.repeat(129)}`)],
    // Well formed but for its length: the longest id the gateway gives out is shorter.
    ['an id beyond 320 characters', idOf(`default/SERVER:cn-${'a'.repeat(230)}:abc`)],
    ['an account with a space', idOf('a b/EDGE:1234567890123:abc')],
    ['an account that walks up a path', idOf('../x/EDGE:1234567890123:abc')],
    ['an account that is a dot', idOf('./EDGE:1234567890123:abc')],
    ['an empty account', idOf('/EDGE:1234567890123:abc')],
    ['an account beyond 64 characters', idOf(`${'a'.repeat(65)}/EDGE:1234567890123:abc`)],
    ['two accounts', idOf('default/prod/EDGE:1234567890123:abc')],
    ['a payload that is not UTF-8', `crt_${Buffer.from([0x45, 0x44, 0xff, 0xfe, 0x3a]).toString('base64url')}`],
  ];

  it.each(junk)('refuses %s with InvalidParameter, a BAD_USER_INPUT error of the gateway', (_name, id) => {
    const error = refusal(id);
    expect(error).toBeInstanceOf(GatewayError);
    expect({ code: error?.code, category: error?.category, httpStatus: error?.httpStatus, provider: error?.details.provider, retryable: error?.retryable }).toEqual({
      code: 'InvalidParameter',
      category: 'BAD_USER_INPUT',
      httpStatus: 400,
      provider: 'GATEWAY',
      retryable: false,
    });
  });

  it('refuses a non-canonical encoding of a valid payload', () => {
    // 23 bytes: the last base64 character carries two unused bits, so three other characters decode alike.
    const canonical = idOf('EDGE:1234567890123:abcd');
    const last = canonical.at(-1) ?? '';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twins = [...alphabet].filter(
      (char) => char !== last && Buffer.from(`${canonical.slice(4, -1)}${char}`, 'base64url').equals(Buffer.from(canonical.slice(4), 'base64url')),
    );
    expect(twins.length).toBeGreaterThan(0);
    expect(decodeCertificateId(canonical, FIRST)).toMatchObject({ nativeId: 'abcd' });
    for (const twin of twins) expect(refusal(`${canonical.slice(0, -1)}${twin}`)?.code).toBe('InvalidParameter');
  });

  it('refuses a thousand random strings, prefixed or not, and never throws anything but InvalidParameter', () => {
    for (let round = 0; round < 1000; round++) {
      const noise = randomBytes(1 + (round % 40)).toString(round % 2 === 0 ? 'base64url' : 'latin1');
      for (const id of [noise, `crt_${noise}`]) {
        const error = refusal(id);
        if (error === undefined) {
          // A random payload that happens to decode must at least be one the encoder gives back, once
          // the first account is named in it if it named none.
          expect([id, idOf(`${FIRST}/${payloadOf(id)}`)]).toContain(encodeCertificateId(decodeCertificateId(id, FIRST)));
        } else {
          expect(error.code).toBe('InvalidParameter');
        }
      }
    }
  });
});
