import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SignatureScheme } from '../../helpers/alibaba-client';
import { assumeRole, CredentialsClient, temporaryCredentials, type AssumeRoleAnswer, type Credentials } from '../../helpers/credentials-client';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';

const OWNER: Credentials = { accessKeyId: 'owner-key', accessKeySecret: 'owner-secret' };
const GATEWAY: Credentials = { accessKeyId: 'gateway-key', accessKeySecret: 'gateway-secret' };
const STRANGER: Credentials = { accessKeyId: 'stranger-key', accessKeySecret: 'stranger-secret' };
const ACCESS_KEYS = new Map([OWNER, GATEWAY, STRANGER].map((key) => [key.accessKeyId, key.accessKeySecret]));
const OWNED_SITE = { id: '7777777777777', name: 'owned-by-owner.example.org' };

type Sites = { Sites: Array<{ SiteId: number; SiteName: string }>; TotalCount: number };

describe('STS AssumeRole and the temporary credentials it answers', () => {
  let emulator: TestEmulator;
  let ownerAccountId: string;
  let roleArn: string;

  beforeAll(async () => {
    emulator = await startTestEmulator({ accessKeys: ACCESS_KEYS });
    const accounts = await emulator.admin<Array<{ accessKeyId: string; accountId: string }>>('GET', 'accounts');
    ownerAccountId = accounts.body.find((account) => account.accessKeyId === OWNER.accessKeyId)?.accountId ?? '';
    roleArn = `acs:ram::${ownerAccountId}:role/cert-reader`;
  });
  beforeEach(async () => {
    await emulator.reset();
    const seeded = await emulator.admin('POST', 'seed', {
      accessKeyId: OWNER.accessKeyId,
      sites: [OWNED_SITE],
      regions: ['cn-beijing'],
      roles: [{ name: 'cert-reader', trustedAccessKeyIds: [GATEWAY.accessKeyId] }],
    });
    expect(seeded.status).toBe(200);
  });
  afterAll(() => emulator.stop());

  const clockNow = async () => Date.parse((await emulator.admin<{ now: string }>('GET', 'clock')).body.now);
  const advanceClock = (seconds: number) => emulator.admin('POST', 'clock', { advanceSeconds: seconds });
  const siteNames = async (credentials: Credentials, scheme: SignatureScheme = 'v3') =>
    (await new CredentialsClient(emulator, 'ESA', credentials, scheme).call<Sites>('ListSites')).Sites.map((site) => site.SiteName);

  describe.each(['v3', 'v2'] as const)('signed with %s', (scheme) => {
    it('answers STS.-prefixed credentials, a token and an Expiration an hour from the emulated now', async () => {
      const before = await clockNow();
      const answer = await assumeRole(emulator, GATEWAY, { RoleArn: roleArn, RoleSessionName: 'gateway@prod' }, scheme);
      expect(answer.Credentials.AccessKeyId).toMatch(/^STS\.[A-Za-z0-9]{20,}$/);
      expect(answer.Credentials.AccessKeySecret).toMatch(/^[A-Za-z0-9]{30,}$/);
      expect(answer.Credentials.SecurityToken.length).toBeGreaterThan(300);
      expect(answer.Credentials.Expiration).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const lifetime = Date.parse(answer.Credentials.Expiration) - before;
      expect(lifetime).toBeGreaterThan(3_595_000);
      expect(lifetime).toBeLessThanOrEqual(3_605_000);
      expect(answer.AssumedRoleUser).toEqual({
        Arn: `${roleArn}/gateway@prod`,
        AssumedRoleId: expect.stringMatching(/^\d{15,20}:gateway@prod$/),
      });
    });

    it('lets calls signed with the temporary credentials act in the role owner\'s account, on ESA and on SLB', async () => {
      const temporary = temporaryCredentials(await assumeRole(emulator, GATEWAY, { RoleArn: roleArn }, scheme));
      expect(await siteNames(temporary, scheme)).toContain(OWNED_SITE.name);
      expect(await siteNames(GATEWAY, scheme)).not.toContain(OWNED_SITE.name);
      const regions = await new CredentialsClient(emulator, 'SLB', temporary, scheme).call<{ Regions: { Region: Array<{ RegionId: string }> } }>(
        'DescribeRegions',
      );
      expect(regions.Regions.Region.map((region) => region.RegionId)).toContain('cn-beijing');
    });

    it('refuses the credentials with InvalidSecurityToken.Expired on ESA and SLB once the emulated clock passes Expiration', async () => {
      const temporary = temporaryCredentials(await assumeRole(emulator, GATEWAY, { RoleArn: roleArn, DurationSeconds: 900 }, scheme));
      const esa = new CredentialsClient(emulator, 'ESA', temporary, scheme);
      const slb = new CredentialsClient(emulator, 'SLB', temporary, scheme);
      await advanceClock(840);
      await expect(esa.call('ListSites')).resolves.toHaveProperty('Sites');
      await advanceClock(120);
      await expect(esa.fail('ListSites')).resolves.toMatchObject({ code: 'InvalidSecurityToken.Expired', statusCode: 400 });
      await expect(slb.fail('DescribeServerCertificates', { RegionId: 'cn-hangzhou' })).resolves.toMatchObject({
        code: 'InvalidSecurityToken.Expired',
        statusCode: 400,
      });
    });
  });

  it('counts AssumeRole calls, refused ones included, as STS.AssumeRole', async () => {
    await assumeRole(emulator, GATEWAY, { RoleArn: roleArn });
    await assumeRole(emulator, GATEWAY, { RoleArn: roleArn });
    await new CredentialsClient(emulator, 'STS', STRANGER).fail('AssumeRole', { RoleArn: roleArn, RoleSessionName: 'x1' });
    expect(await emulator.stats()).toEqual({ 'STS.AssumeRole': 3 });
  });

  it('gives each AssumeRole call fresh credentials, and older ones keep working until they expire', async () => {
    const first = temporaryCredentials(await assumeRole(emulator, GATEWAY, { RoleArn: roleArn }));
    const second = temporaryCredentials(await assumeRole(emulator, GATEWAY, { RoleArn: roleArn }));
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(second.securityToken).not.toBe(first.securityToken);
    expect(await siteNames(first)).toContain(OWNED_SITE.name);
    expect(await siteNames(second)).toContain(OWNED_SITE.name);
  });

  describe('refusals with STS\'s documented codes', () => {
    const sts = (caller: Credentials = GATEWAY) => new CredentialsClient(emulator, 'STS', caller);

    it('answers EntityNotExist.Role (404) for a role that does not exist or an account that is not there', async () => {
      const missingRole = await sts().fail('AssumeRole', { RoleArn: `acs:ram::${ownerAccountId}:role/cert-writer`, RoleSessionName: 'gateway' });
      expect(missingRole).toMatchObject({ code: 'EntityNotExist.Role', statusCode: 404 });
      const otherAccount = await sts().fail('AssumeRole', { RoleArn: 'acs:ram::1234567890123456:role/cert-reader', RoleSessionName: 'gateway' });
      expect(otherAccount).toMatchObject({ code: 'EntityNotExist.Role', statusCode: 404 });
    });

    it('finds the role whatever the case of its name, as RAM does', async () => {
      await expect(assumeRole(emulator, GATEWAY, { RoleArn: roleArn.replace('cert-reader', 'Cert-Reader') })).resolves.toHaveProperty('Credentials');
    });

    it('answers NoPermission (403) to a caller the role does not trust, and to temporary credentials', async () => {
      await expect(sts(STRANGER).fail('AssumeRole', { RoleArn: roleArn, RoleSessionName: 'stranger' })).resolves.toMatchObject({
        code: 'NoPermission',
        statusCode: 403,
      });
      // The owner's own key is not trusted either: the seed names who may assume the role.
      await expect(sts(OWNER).fail('AssumeRole', { RoleArn: roleArn, RoleSessionName: 'owner' })).resolves.toMatchObject({ code: 'NoPermission' });
      const temporary = temporaryCredentials(await assumeRole(emulator, GATEWAY, { RoleArn: roleArn }));
      await expect(sts(temporary).fail('AssumeRole', { RoleArn: roleArn, RoleSessionName: 'again' })).resolves.toMatchObject({ code: 'NoPermission' });
    });

    it.each([
      ['899', 'below 900'],
      ['3601', 'above 3600'],
      ['1h', 'not a number'],
      ['900.5', 'not whole'],
    ])('answers InvalidParameter.DurationSeconds (400) for %s (%s)', async (duration) => {
      await expect(sts().fail('AssumeRole', { RoleArn: roleArn, RoleSessionName: 'gateway', DurationSeconds: duration })).resolves.toMatchObject({
        code: 'InvalidParameter.DurationSeconds',
        statusCode: 400,
        message: expect.stringContaining('The Min/Max value of DurationSeconds is 15min/1hr.'),
      });
    });

    it.each([
      ['acs:ram::12345:user/cert-reader', 'a user, not a role'],
      ['acs:ram:cn-hangzhou:12345:role/cert-reader', 'a region in it'],
      ['cert-reader', 'a bare name'],
      [`acs:ram::${'1'.repeat(16)}:role/cert_reader`, 'a name RAM refuses'],
    ])('answers InvalidParameter.RoleArn (400) for %s (%s)', async (arn) => {
      await expect(sts().fail('AssumeRole', { RoleArn: arn, RoleSessionName: 'gateway' })).resolves.toMatchObject({
        code: 'InvalidParameter.RoleArn',
        statusCode: 400,
      });
    });

    it('answers InvalidParameter.RoleSessionName for a name outside 2-64 letters, digits, ".@-_", and MissingParameter without one', async () => {
      for (const name of ['a', 'has space', 'x'.repeat(65)]) {
        await expect(sts().fail('AssumeRole', { RoleArn: roleArn, RoleSessionName: name })).resolves.toMatchObject({
          code: 'InvalidParameter.RoleSessionName',
          statusCode: 400,
        });
      }
      await expect(sts().fail('AssumeRole', { RoleArn: roleArn })).resolves.toMatchObject({ code: 'MissingParameter', statusCode: 400 });
      await expect(sts().fail('AssumeRole', { RoleSessionName: 'gateway' })).resolves.toMatchObject({ code: 'MissingParameter' });
    });

    it('checks Policy and ExternalId as documented', async () => {
      const call = (extra: Record<string, string>) => sts().fail('AssumeRole', { RoleArn: roleArn, RoleSessionName: 'gateway', ...extra });
      await expect(call({ Policy: '{not json' })).resolves.toMatchObject({ code: 'InvalidParameter.PolicyGrammar' });
      await expect(call({ Policy: JSON.stringify({ Version: '1', Statement: [{ Resource: ['x'.repeat(2100)] }] }) })).resolves.toMatchObject({
        code: 'InvalidParameter.PolicySize',
      });
      await expect(call({ ExternalId: 'has space' })).resolves.toMatchObject({ code: 'InvalidParameter.ExternalId' });
      const policy = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['*'], Resource: ['*'] }] });
      await expect(assumeRole(emulator, GATEWAY, { RoleArn: roleArn, Policy: policy, ExternalId: 'abcd1234' })).resolves.toHaveProperty('Credentials');
    });
  });

  describe('what the gateway answers to a token that does not fit the key', () => {
    let answer: AssumeRoleAnswer;
    beforeEach(async () => {
      answer = await assumeRole(emulator, GATEWAY, { RoleArn: roleArn });
    });

    it.each(['v3', 'v2'] as const)('answers MissingSecurityToken to a temporary key sent without its token (%s)', async (scheme) => {
      const withoutToken = { accessKeyId: answer.Credentials.AccessKeyId, accessKeySecret: answer.Credentials.AccessKeySecret };
      await expect(new CredentialsClient(emulator, 'ESA', withoutToken, scheme).fail('ListSites')).resolves.toMatchObject({
        code: 'MissingSecurityToken',
        statusCode: 400,
      });
    });

    it.each(['v3', 'v2'] as const)("answers InvalidSecurityToken.MismatchWithAccessKey to another session's token (%s)", async (scheme) => {
      const other = await assumeRole(emulator, GATEWAY, { RoleArn: roleArn });
      const crossed = { ...temporaryCredentials(answer), securityToken: other.Credentials.SecurityToken };
      await expect(new CredentialsClient(emulator, 'SLB', crossed, scheme).fail('DescribeRegions')).resolves.toMatchObject({
        code: 'InvalidSecurityToken.MismatchWithAccessKey',
        statusCode: 400,
      });
      const onPermanentKey = { ...GATEWAY, securityToken: answer.Credentials.SecurityToken };
      await expect(new CredentialsClient(emulator, 'ESA', onPermanentKey, scheme).fail('ListSites')).resolves.toMatchObject({
        code: 'InvalidSecurityToken.MismatchWithAccessKey',
      });
    });

    it.each(['v3', 'v2'] as const)('answers InvalidSecurityToken.Malformed to a token that cannot be one (%s)', async (scheme) => {
      const garbled = { ...temporaryCredentials(answer), securityToken: 'not-a-token' };
      await expect(new CredentialsClient(emulator, 'ESA', garbled, scheme).fail('ListSites')).resolves.toMatchObject({
        code: 'InvalidSecurityToken.Malformed',
        statusCode: 400,
      });
    });

    it('answers an STS. key it never issued as an unknown access key', async () => {
      const invented = { ...temporaryCredentials(answer), accessKeyId: 'STS.NeverIssuedByThisEmulator0' };
      await expect(new CredentialsClient(emulator, 'SLB', invented).fail('DescribeRegions')).resolves.toMatchObject({
        code: 'InvalidAccessKeyId.NotFound',
        statusCode: 404,
      });
    });

    it.each(['v3', 'v2'] as const)('never quotes the token or the secret in an error answer (%s)', async (scheme) => {
      const wrongSecret = { ...temporaryCredentials(answer), accessKeySecret: 'wrong' };
      const refused = await new CredentialsClient(emulator, 'SLB', wrongSecret, scheme).fail('DescribeRegions');
      expect(refused.code).toBe('SignatureDoesNotMatch');
      expect(refused.message).toContain('server string to sign is:');
      // The v2 string to sign holds every parameter percent-encoded twice.
      const shown = [JSON.stringify(refused), decodeURIComponent(decodeURIComponent(refused.message))].join('\n');
      expect(shown).not.toContain(answer.Credentials.SecurityToken);
      expect(shown).not.toContain(answer.Credentials.AccessKeySecret);
    });
  });

  it('forgets roles and sessions on reset', async () => {
    const temporary = temporaryCredentials(await assumeRole(emulator, GATEWAY, { RoleArn: roleArn }));
    await emulator.reset();
    await expect(new CredentialsClient(emulator, 'ESA', temporary).fail('ListSites')).resolves.toMatchObject({ code: 'Unauthorized.InvalidToken' });
    await expect(new CredentialsClient(emulator, 'STS', GATEWAY).fail('AssumeRole', { RoleArn: roleArn, RoleSessionName: 'gateway' })).resolves.toMatchObject({
      code: 'EntityNotExist.Role',
    });
  });
});

describe('roles and sessions across restarts (--state FILE)', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'emulator-sts-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a seeded role and the credentials already handed out', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await startTestEmulator({ accessKeys: ACCESS_KEYS, stateFile });
    const seeded = await first.admin<{ roles: Array<{ arn: string }> }>('POST', 'seed', {
      accessKeyId: OWNER.accessKeyId,
      sites: [OWNED_SITE],
      roles: [{ name: 'cert-reader', trustedAccessKeyIds: [GATEWAY.accessKeyId] }],
    });
    const arn = seeded.body.roles[0]?.arn ?? '';
    const temporary = temporaryCredentials(await assumeRole(first, GATEWAY, { RoleArn: arn }));
    await first.stop();

    const second = await startTestEmulator({ accessKeys: ACCESS_KEYS, stateFile });
    try {
      const sites = await new CredentialsClient(second, 'ESA', temporary).call<Sites>('ListSites');
      expect(sites.Sites.map((site) => site.SiteName)).toContain(OWNED_SITE.name);
      await expect(assumeRole(second, GATEWAY, { RoleArn: arn })).resolves.toHaveProperty('Credentials');
    } finally {
      await second.stop();
    }
  });
});
