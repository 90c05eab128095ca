import { accountIdOf } from '../../../src/emulator/state/account';
import { AlibabaTestClient } from '../../helpers/alibaba-client';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';

type SeedAnswer = { roles: Array<{ name: string; arn: string; trustedAccessKeyIds: string[] }> };
type Refusal = { Code: string; Message: string };

describe('accounts and roles in the emulator admin API', () => {
  let emulator: TestEmulator;

  beforeAll(async () => {
    emulator = await startTestEmulator({
      accessKeys: new Map([
        ['key-a', 'secret-a'],
        ['key-b', 'secret-b'],
      ]),
    });
  });
  beforeEach(() => emulator.reset());
  afterAll(() => emulator.stop());

  it('lists each access key as its own account with a 16-digit account id that stays the same', async () => {
    const { status, body } = await emulator.admin<Array<{ accessKeyId: string; accountId: string }>>('GET', 'accounts');
    expect(status).toBe(200);
    expect(body.map((account) => account.accessKeyId)).toEqual(['key-a', 'key-b']);
    for (const account of body) expect(account.accountId).toMatch(/^[1-9]\d{15}$/);
    expect(body[0]?.accountId).not.toBe(body[1]?.accountId);
    expect(body[0]?.accountId).toBe(accountIdOf('key-a'));
  });

  it('seeds a role into the account named by accessKeyId and answers its ARN, the name lowercased', async () => {
    const accountIdB = accountIdOf('key-b');
    const { status, body } = await emulator.admin<SeedAnswer>('POST', 'seed', {
      accessKeyId: 'key-b',
      roles: [{ name: 'Cert-Reader.v2', trustedAccessKeyIds: ['key-a', 'key-a'] }],
    });
    expect(status).toBe(200);
    expect(body.roles).toEqual([{ name: 'Cert-Reader.v2', arn: `acs:ram::${accountIdB}:role/cert-reader.v2`, trustedAccessKeyIds: ['key-a'] }]);
  });

  it('seeds the account of the key given, leaving the default account as it was', async () => {
    await emulator.admin('POST', 'seed', { accessKeyId: 'key-b', regions: ['eu-central-1'] });
    const describe = (key: string, secret: string) =>
      new AlibabaTestClient(emulator, 'SLB', { accessKeyId: key, accessKeySecret: secret }).call<{ Regions: { Region: Array<{ RegionId: string }> } }>(
        'DescribeRegions',
      );
    expect((await describe('key-b', 'secret-b')).Regions.Region.map((region) => region.RegionId)).toContain('eu-central-1');
    expect((await describe('key-a', 'secret-a')).Regions.Region.map((region) => region.RegionId)).not.toContain('eu-central-1');
  });

  it.each([
    [{ accessKeyId: 'key-c', sites: [] }, 'accessKeyId'],
    [{ accessKeyId: 42 }, 'accessKeyId'],
    [{ roles: [{ name: 'cert_reader', trustedAccessKeyIds: ['key-a'] }] }, 'roles[0].name'],
    [{ roles: [{ name: 'x'.repeat(65), trustedAccessKeyIds: ['key-a'] }] }, 'roles[0].name'],
    [{ roles: [{ name: 'reader', trustedAccessKeyIds: ['key-a', 'nobody'] }] }, 'roles[0].trustedAccessKeyIds[1]'],
    [{ roles: [{ name: 'reader' }] }, 'roles[0].trustedAccessKeyIds'],
    [{ roles: [{ name: 'reader', trustedAccessKeyIds: [] }, { name: 'READER', trustedAccessKeyIds: [] }] }, 'roles[1].name'],
    [{ roles: 'reader' }, 'roles'],
  ])('refuses %j with a 400 naming %s, and adds nothing', async (seed, field) => {
    const answer = await emulator.admin<Refusal>('POST', 'seed', { sites: [{ id: '5678901234567', name: 'not-added.example.org' }], ...seed });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ Code: 'InvalidParameter', Message: expect.stringContaining(field) });
    const sites = await new AlibabaTestClient(emulator, 'ESA', { accessKeyId: 'key-a', accessKeySecret: 'secret-a' }).call<{ TotalCount: number }>('ListSites');
    expect(sites.TotalCount).toBe(4);
  });
});
