import { parseAccounts } from '../../../src/accounts/account-settings';

const SECRET = 'kS9-secret-value-0123456789abcdefXYZ';
const ROLE_ARN = 'acs:ram::1234567890123456:role/cert-reader';
const parse = (value: unknown) => parseAccounts(JSON.stringify(value), 'ACCOUNTS');

describe('the ACCOUNTS setting', () => {
  it('reads access-key accounts and role accounts, with the role defaults filled in', () => {
    const parsed = parse([
      { id: 'prod', name: 'Production', accessKeyId: 'LTAI5tKeyId0001', accessKeySecret: SECRET, esaEndpoint: 'esa.ap-southeast-1.aliyuncs.com', slbRegions: ['cn-hangzhou', 'cn-hangzhou', 'ap-southeast-1'] },
      { id: 'shop', roleArn: ROLE_ARN },
    ]);

    expect(parsed).toEqual([
      {
        id: 'prod',
        name: 'Production',
        accessKey: { accessKeyId: 'LTAI5tKeyId0001', accessKeySecret: SECRET },
        esaEndpoint: 'esa.ap-southeast-1.aliyuncs.com',
        slbRegions: ['cn-hangzhou', 'ap-southeast-1'],
      },
      { id: 'shop', role: { arn: ROLE_ARN, sessionName: 'certificate-gateway', durationSeconds: 3600 } },
    ]);
  });

  it('reads a role account that assumes its role with its own key, for a chosen duration and external id', () => {
    const parsed = parse([
      { id: 'partner.eu', roleArn: ROLE_ARN, roleSessionName: 'gw@eu-1', durationSeconds: 900, externalId: 'abcd-1234', accessKeyId: 'LTAI5tKeyId0002', accessKeySecret: SECRET, esaEndpoint: '127.0.0.1:4010' },
    ]);

    expect(parsed).toEqual([
      {
        id: 'partner.eu',
        accessKey: { accessKeyId: 'LTAI5tKeyId0002', accessKeySecret: SECRET },
        role: { arn: ROLE_ARN, sessionName: 'gw@eu-1', durationSeconds: 900, externalId: 'abcd-1234' },
        esaEndpoint: '127.0.0.1:4010',
      },
    ]);
  });

  const key = { accessKeyId: 'LTAI5tKeyId0001', accessKeySecret: SECRET };
  it.each<[string, string, string]>([
    ['text that is not JSON', `[{"id":"prod","accessKeySecret":"${SECRET}"`, 'must be JSON'],
    ['an object instead of a list', JSON.stringify({ id: 'prod', ...key }), 'non-empty JSON array'],
    ['an empty list', '[]', 'non-empty JSON array'],
    ['a list of strings', JSON.stringify([SECRET]), 'ACCOUNTS[0] must be an object'],
    ['null in the list', JSON.stringify([null]), 'ACCOUNTS[0] must be an object'],
    ['a nested list', JSON.stringify([[{ id: 'prod', ...key }]]), 'ACCOUNTS[0] must be an object'],
    ['no id', JSON.stringify([key]), 'ACCOUNTS[0].id'],
    ['an id with a slash', JSON.stringify([{ id: '../prod', ...key }]), 'ACCOUNTS[0].id'],
    ['an id of 65 characters', JSON.stringify([{ id: 'a'.repeat(65), ...key }]), 'ACCOUNTS[0].id'],
    ['a numeric id', JSON.stringify([{ id: 7, ...key }]), 'ACCOUNTS[0].id'],
    ['the secret given as the id', JSON.stringify([{ id: `${SECRET}/x`, ...key }]), 'ACCOUNTS[0].id'],
    ['the same id twice', JSON.stringify([{ id: 'prod', ...key }, { id: 'prod', roleArn: ROLE_ARN }]), 'the account id "prod" twice'],
    ['an unknown field', JSON.stringify([{ id: 'prod', ...key, secretKey: SECRET }]), 'unknown field "secretKey"'],
    ['a misspelt field', JSON.stringify([{ id: 'prod', accessKeyId: 'LTAI5tKeyId0001', accessKeySecrets: SECRET }]), 'unknown field "accessKeySecrets"'],
    ['the secret as a field name', JSON.stringify([{ id: 'prod', ...key, [SECRET]: true }]), 'unknown field:'],
    ['a __proto__ field', `[{"id":"prod","accessKeyId":"LTAI5tKeyId0001","accessKeySecret":"${SECRET}","__proto__":{"roleArn":"x"}}]`, 'ACCOUNTS[0] has an unknown field'],
    ['an id without its secret', JSON.stringify([{ id: 'prod', accessKeyId: 'LTAI5tKeyId0001' }]), 'accessKeyId without accessKeySecret'],
    ['a secret without its id', JSON.stringify([{ id: 'prod', accessKeySecret: SECRET }]), 'accessKeySecret without accessKeyId'],
    ['neither a key nor a role', JSON.stringify([{ id: 'prod', name: 'Production' }]), 'needs accessKeyId and accessKeySecret, or roleArn'],
    ['an empty secret', JSON.stringify([{ id: 'prod', accessKeyId: 'LTAI5tKeyId0001', accessKeySecret: '' }]), '("prod").accessKeySecret'],
    ['a secret with a newline', JSON.stringify([{ id: 'prod', accessKeyId: 'LTAI5tKeyId0001', accessKeySecret: `${SECRET}\n` }]), '("prod").accessKeySecret'],
    ['a numeric secret', JSON.stringify([{ id: 'prod', accessKeyId: 'LTAI5tKeyId0001', accessKeySecret: 12345678 }]), '("prod").accessKeySecret'],
    ['a key id with a space', JSON.stringify([{ id: 'prod', accessKeyId: 'LTAI 5t', accessKeySecret: SECRET }]), '("prod").accessKeyId'],
    ['a role ARN of another service', JSON.stringify([{ id: 'shop', roleArn: 'acs:oss::1234567890123456:role/cert-reader' }]), '("shop").roleArn'],
    ['a role ARN without the account', JSON.stringify([{ id: 'shop', roleArn: 'acs:ram:::role/cert-reader' }]), '("shop").roleArn'],
    ['a role ARN with a path', JSON.stringify([{ id: 'shop', roleArn: 'acs:ram::1234567890123456:role/../admin' }]), '("shop").roleArn'],
    ['a role ARN that is the secret', JSON.stringify([{ id: 'shop', roleArn: SECRET }]), '("shop").roleArn'],
    ['a session name of one character', JSON.stringify([{ id: 'shop', roleArn: ROLE_ARN, roleSessionName: 'a' }]), '("shop").roleSessionName'],
    ['a session name with a space', JSON.stringify([{ id: 'shop', roleArn: ROLE_ARN, roleSessionName: 'cert gateway' }]), '("shop").roleSessionName'],
    ['a session name of 65 characters', JSON.stringify([{ id: 'shop', roleArn: ROLE_ARN, roleSessionName: 's'.repeat(65) }]), '("shop").roleSessionName'],
    ['a null session name', JSON.stringify([{ id: 'shop', roleArn: ROLE_ARN, roleSessionName: null }]), '("shop").roleSessionName'],
    ['a duration under 900 s', JSON.stringify([{ id: 'shop', roleArn: ROLE_ARN, durationSeconds: 899 }]), '("shop").durationSeconds'],
    ['a duration over 3600 s', JSON.stringify([{ id: 'shop', roleArn: ROLE_ARN, durationSeconds: 43200 }]), '("shop").durationSeconds'],
    ['a fractional duration', JSON.stringify([{ id: 'shop', roleArn: ROLE_ARN, durationSeconds: 1000.5 }]), '("shop").durationSeconds'],
    ['a duration as text', JSON.stringify([{ id: 'shop', roleArn: ROLE_ARN, durationSeconds: '3600' }]), '("shop").durationSeconds'],
    ['an external id with a space', JSON.stringify([{ id: 'shop', roleArn: ROLE_ARN, externalId: 'a b' }]), '("shop").externalId'],
    ['an external id on an access-key account', JSON.stringify([{ id: 'prod', ...key, externalId: 'abcd' }]), '("prod").externalId belongs to a role account'],
    ['a duration on an access-key account', JSON.stringify([{ id: 'prod', ...key, durationSeconds: 900 }]), '("prod").durationSeconds belongs to a role account'],
    ['an endpoint with a path', JSON.stringify([{ id: 'prod', ...key, esaEndpoint: 'esa.example.com/evil' }]), '("prod").esaEndpoint'],
    ['an endpoint URL', JSON.stringify([{ id: 'prod', ...key, esaEndpoint: 'https://esa.cn-hangzhou.aliyuncs.com' }]), '("prod").esaEndpoint'],
    ['a region list given as text', JSON.stringify([{ id: 'prod', ...key, slbRegions: 'cn-hangzhou' }]), '("prod").slbRegions'],
    ['an empty region list', JSON.stringify([{ id: 'prod', ...key, slbRegions: [] }]), '("prod").slbRegions'],
    ['a region that is a path', JSON.stringify([{ id: 'prod', ...key, slbRegions: ['cn-hangzhou', '../../etc'] }]), '("prod").slbRegions'],
    ['thousands of regions', JSON.stringify([{ id: 'prod', ...key, slbRegions: Array.from({ length: 5000 }, () => 'cn-hangzhou') }]), '("prod").slbRegions'],
    ['a name with a control character', JSON.stringify([{ id: 'prod', ...key, name: 'Prod\u0007' }]), '("prod").name'],
    ['an over-long name', JSON.stringify([{ id: 'prod', ...key, name: 'n'.repeat(10_000) }]), '("prod").name'],
    ['thousands of accounts', JSON.stringify(Array.from({ length: 5000 }, (_, i) => ({ id: `a${i}`, ...key }))), 'more than 1000 accounts'],
  ])('refuses %s in one line that names the place, never quoting a secret', (_name, text, expected) => {
    const parsed = parseAccounts(text, 'ACCOUNTS');

    expect(typeof parsed).toBe('string');
    expect(parsed).toContain(expected);
    expect(parsed).not.toContain(SECRET);
    expect(parsed).not.toContain('\n');
    expect((parsed as string).length).toBeLessThan(300);
  });

  it('names the source it was read from: ACCOUNTS_FILE for a file', () => {
    expect(parseAccounts('[{}]', 'ACCOUNTS_FILE')).toMatch(/^ACCOUNTS_FILE\[0\]\.id /);
  });

  it('never quotes a secret, whichever field it was put in by mistake', () => {
    const misplaced = ['name', 'roleArn', 'roleSessionName', 'externalId', 'esaEndpoint', 'accessKeyId'].map((field) => ({
      id: 'prod',
      accessKeyId: 'LTAI5tKeyId0001',
      accessKeySecret: 'x',
      roleArn: ROLE_ARN,
      [field]: `${SECRET}\n${SECRET}`,
    }));
    for (const account of misplaced) {
      const parsed = parse([account]);
      expect(typeof parsed).toBe('string');
      expect(parsed).not.toContain(SECRET);
    }
  });
});
