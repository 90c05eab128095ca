import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfiguredAccounts, DEFAULT_ACCOUNT } from '../../../src/accounts/configured-accounts';
import { StaticCredentials, type CredentialSource, type RoleAssumer } from '../../../src/accounts/credentials';
import { ConfigError, parseConfig } from '../../../src/config';
import { GatewayError } from '../../../src/domain/errors/gateway-error';
import { type EsaProvider, type SlbProvider } from '../../../src/domain/ports';

const ACCOUNTS = [
  { id: 'prod', name: 'Production', accessKeyId: 'LTAI5tProdKey0001', accessKeySecret: 'prod-secret-value-0123456789' },
  { id: 'shop', roleArn: 'acs:ram::1234567890123456:role/cert-reader', slbRegions: ['ap-southeast-1'] },
];

/** Wiring that records what each account was given, with no cloud behind it (the project's own ports). */
function recordingWiring() {
  const given: Array<{ id: string; credentials: CredentialSource; esaEndpoint?: string }> = [];
  const assumers: CredentialSource[] = [];
  const wiring = {
    defaultCredentials: new StaticCredentials({ accessKeyId: 'LTAI5tDefaultKey01', accessKeySecret: 'default-secret-0123456789' }),
    sts: (credentials: CredentialSource): RoleAssumer => {
      assumers.push(credentials);
      return { assumeRole: async () => Promise.reject(new Error('not called')) };
    },
    products: (account: { id: string; credentials: CredentialSource; esaEndpoint?: string }) => {
      given.push(account);
      return { esa: {} as EsaProvider, slb: {} as SlbProvider };
    },
  };
  return { wiring, given, assumers };
}

describe('ACCOUNTS', () => {
  it('is cloud mode by itself, read inline or from ACCOUNTS_FILE, never both', () => {
    expect(parseConfig({ ACCOUNTS: JSON.stringify(ACCOUNTS), AUTH_DISABLED: 'true' })).toMatchObject({ mode: 'cloud', accounts: [{ id: 'prod' }, { id: 'shop' }] });
    const dir = mkdtempSync(join(tmpdir(), 'accounts-'));
    writeFileSync(join(dir, 'accounts.json'), JSON.stringify(ACCOUNTS));
    expect(parseConfig({ ACCOUNTS_FILE: join(dir, 'accounts.json'), AUTH_DISABLED: 'true' }).accounts.map((account) => account.id)).toEqual(['prod', 'shop']);
    expect(() => parseConfig({ ACCOUNTS: '[]', ACCOUNTS_FILE: join(dir, 'accounts.json') })).toThrow(/Set ACCOUNTS or ACCOUNTS_FILE, not both/);
  });

  it('refuses at start a key allowed an account that is not configured (a typo that would refuse it everything)', () => {
    const keys = (accounts: string[]) => JSON.stringify([{ key: 'reader-key-0123456789abcdef', scopes: ['certificates:read'], accounts }]);
    expect(() => parseConfig({ ACCOUNTS: JSON.stringify(ACCOUNTS), API_KEYS: keys(['prod', 'shpo']) })).toThrow(/^API_KEYS\[0\]\.accounts names an account that is not configured \(accounts: prod, shop\)/);
    expect(parseConfig({ ACCOUNTS: JSON.stringify(ACCOUNTS), API_KEYS: keys(['shop']) }).apiKeys[0]?.accounts).toEqual(['shop']);
    expect(() => parseConfig({ API_KEYS: keys(['prod']) })).toThrow(/accounts: default/);
    expect(parseConfig({ API_KEYS: keys(['default']) }).apiKeys).toHaveLength(1);
  });

  it('never prints a field name that may be a pasted key or secret', () => {
    const secret = 'Zq8Rk2Lm9Np4Xt7Vb3Hc6Jd1Fg5Ws0Ae';
    let message = '';
    try {
      parseConfig({ ACCOUNTS: JSON.stringify([{ id: 'prod', [secret]: 'x' }]) });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/unknown field/);
    expect(message).not.toContain(secret);
    expect(() => parseConfig({ ACCOUNTS: JSON.stringify([{ id: 'prod', roleArm: 'x' }]) })).toThrow(/unknown field "roleArm"/);
  });

  it('refuses a bad STS_ENDPOINT with one line naming it, and defaults to sts.aliyuncs.com', () => {
    expect(parseConfig({}).stsEndpoint).toBe('sts.aliyuncs.com');
    expect(() => parseConfig({ STS_ENDPOINT: 'http://sts.example/' })).toThrow(ConfigError);
    expect(() => parseConfig({ STS_ENDPOINT: 'http://sts.example/' })).toThrow(/^STS_ENDPOINT/);
  });

  it('never quotes a secret in the line that refuses it', () => {
    const broken = [{ ...ACCOUNTS[0], accessKeySecret: 'secret with spaces and a newline\n' }];
    let message = '';
    try {
      parseConfig({ ACCOUNTS: JSON.stringify(broken) });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/ACCOUNTS/);
    expect(message).not.toContain('secret with spaces');
  });

  it('without ACCOUNTS is one account, default, signed by the default credentials, reading SLB_REGIONS when set', () => {
    const { wiring, given } = recordingWiring();
    const accounts = ConfiguredAccounts.wire([], wiring, ['cn-hangzhou']);
    expect(accounts.ids).toEqual([DEFAULT_ACCOUNT]);
    expect(accounts.first).toBe(DEFAULT_ACCOUNT);
    expect(accounts.get(DEFAULT_ACCOUNT).slbRegions).toEqual(['cn-hangzhou']);
    expect(given[0]?.credentials).toBe(wiring.defaultCredentials);
    expect(ConfiguredAccounts.wire([], recordingWiring().wiring).get(DEFAULT_ACCOUNT).slbRegions).toBeUndefined();
  });

  it("signs an access-key account with its key and a role account with the role's credentials, assumed with the default key", () => {
    const { wiring, given, assumers } = recordingWiring();
    const accounts = ConfiguredAccounts.wire(parseConfig({ ACCOUNTS: JSON.stringify(ACCOUNTS), AUTH_DISABLED: 'true' }).accounts, wiring);
    expect(accounts.ids).toEqual(['prod', 'shop']);
    expect(accounts.first).toBe('prod');
    expect(given.map((account) => [account.id, account.credentials.kind])).toEqual([
      ['prod', 'access-key'],
      ['shop', 'role'],
    ]);
    expect(assumers).toEqual([wiring.defaultCredentials]);
    expect(accounts.get('shop').slbRegions).toEqual(['ap-southeast-1']);
    expect(accounts.get('prod').name).toBe('Production');
  });

  it('answers an unknown account with InvalidParameter, quoting at most 64 characters of it', () => {
    const accounts = ConfiguredAccounts.wire([], recordingWiring().wiring);
    let refused: unknown;
    try {
      accounts.get('x'.repeat(10_000));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(GatewayError);
    expect((refused as GatewayError).code).toBe('InvalidParameter');
    expect((refused as GatewayError).message.length).toBeLessThan(200);
  });
});
