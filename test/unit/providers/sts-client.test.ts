import { inspect } from 'node:util';
import { StsClient, type StsCaller } from '../../../src/providers/sts/sts-client';
import { type RpcAnswer, type RpcCall } from '../../../src/providers/alibaba/rpc-client';
import { GatewayError } from '../../../src/domain/errors/gateway-error';

const REQUEST = { roleArn: 'acs:ram::1234567890123456:role/cert-reader', sessionName: 'certificate-gateway', durationSeconds: 900 };
const CREDENTIALS = {
  AccessKeyId: 'STS.L4aBSCSJVMuKg5U1****',
  AccessKeySecret: 'wyLTSmsyPGP1ohvvw8xYgB29dlGI8KMiH2pK****',
  SecurityToken: 'CAISzQJ1q6Ft5B2yfSjIr5token****',
  Expiration: '2015-04-09T11:52:19Z',
};

/** An RPC caller that records what it is asked and answers with the body given. */
function caller(answer: unknown | Error) {
  const calls: Array<{ action: string; call: RpcCall }> = [];
  const rpc: StsCaller = {
    call: async <T>(action: string, call: RpcCall): Promise<RpcAnswer<T>> => {
      calls.push({ action, call });
      if (answer instanceof Error) throw answer;
      return { body: answer as T, requestId: '6894B13B-6D71-4EF5-88FA-F32781734A7F' };
    },
  };
  return { calls, client: new StsClient(rpc) };
}

describe('STS AssumeRole', () => {
  it('sends the documented parameters and answers with the credentials and their expiry in epoch milliseconds', async () => {
    const { calls, client } = caller({
      RequestId: '6894B13B-6D71-4EF5-88FA-F32781734A7F',
      AssumedRoleUser: { Arn: 'acs:ram::1234567890123456:role/cert-reader/certificate-gateway', AssumedRoleId: '34458433936495****:certificate-gateway' },
      Credentials: CREDENTIALS,
    });

    const answer = await client.assumeRole({ ...REQUEST, externalId: 'abcd-1234' });

    expect(calls).toEqual([
      {
        action: 'AssumeRole',
        call: { method: 'POST', body: { RoleArn: REQUEST.roleArn, RoleSessionName: 'certificate-gateway', DurationSeconds: 900, ExternalId: 'abcd-1234' } },
      },
    ]);
    expect(answer.expiresAt).toBe(Date.UTC(2015, 3, 9, 11, 52, 19));
    expect(answer.credentials).toMatchObject({ accessKeyId: CREDENTIALS.AccessKeyId, accessKeySecret: CREDENTIALS.AccessKeySecret, securityToken: CREDENTIALS.SecurityToken });
  });

  it('leaves ExternalId out when the account has none', async () => {
    const { calls, client } = caller({ Credentials: CREDENTIALS });

    await client.assumeRole(REQUEST);

    expect(calls[0]?.call.body).toEqual({ RoleArn: REQUEST.roleArn, RoleSessionName: 'certificate-gateway', DurationSeconds: 900, ExternalId: undefined });
  });

  it('hands back credentials that print without their secret and token', async () => {
    const { client } = caller({ Credentials: CREDENTIALS });

    const { credentials } = await client.assumeRole(REQUEST);
    const text = `${JSON.stringify(credentials)} ${inspect(credentials)} ${String(credentials)}`;

    expect(text).not.toContain(CREDENTIALS.AccessKeySecret);
    expect(text).not.toContain(CREDENTIALS.SecurityToken);
  });

  it('passes STS\'s refusal on unchanged', async () => {
    const refusal = new GatewayError('EntityNotExist.Role', 'The role not exists.', { provider: 'GATEWAY', action: 'AssumeRole', httpStatus: 404 });
    const { client } = caller(refusal);

    await expect(client.assumeRole(REQUEST)).rejects.toBe(refusal);
  });

  it.each<[string, unknown]>([
    ['no Credentials', { RequestId: 'x' }],
    ['an empty body', null],
    ['no SecurityToken', { Credentials: { ...CREDENTIALS, SecurityToken: undefined } }],
    ['an empty AccessKeySecret', { Credentials: { ...CREDENTIALS, AccessKeySecret: '' } }],
    ['a numeric AccessKeyId', { Credentials: { ...CREDENTIALS, AccessKeyId: 42 } }],
    ['no Expiration', { Credentials: { ...CREDENTIALS, Expiration: undefined } }],
    ['an Expiration that is not a time', { Credentials: { ...CREDENTIALS, Expiration: 'tomorrow' } }],
    ['an Expiration without its zone', { Credentials: { ...CREDENTIALS, Expiration: '2015-04-09T11:52:19' } }],
    ['an Expiration on 30 February', { Credentials: { ...CREDENTIALS, Expiration: '2015-02-30T11:52:19Z' } }],
    ['an Expiration as epoch seconds', { Credentials: { ...CREDENTIALS, Expiration: 1428580339 } }],
  ])('refuses an answer with %s, naming what is missing and quoting nothing it holds', async (_name, body) => {
    const { client } = caller(body);

    const error = await client.assumeRole(REQUEST).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', details: { action: 'AssumeRole', requestId: '6894B13B-6D71-4EF5-88FA-F32781734A7F' } });
    expect((error as Error).message).toMatch(/^STS AssumeRole answered without .+ in Credentials\.$/);
    expect((error as Error).message).not.toContain(CREDENTIALS.AccessKeySecret);
    expect((error as Error).message).not.toContain(CREDENTIALS.SecurityToken);
  });
});
