import OpenApi, * as $OpenApi from '@alicloud/openapi-client';
import * as $Util from '@alicloud/tea-util';
import { type RunningEmulator } from '../../src/emulator/emulator';
import { ESA_SHAPES, type CloudError, type SignatureScheme } from './alibaba-client';

/** An access key, or temporary credentials from AssumeRole (with their token). */
export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** What AssumeRole answers (https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole). */
export interface AssumeRoleAnswer {
  RequestId: string;
  AssumedRoleUser: { AssumedRoleId: string; Arn: string };
  Credentials: { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string; Expiration: string };
}

const VERSIONS = { ESA: '2024-09-10', SLB: '2014-05-15', STS: '2015-04-01' } as const;
export type CloudProduct = keyof typeof VERSIONS;

/**
 * The unmodified `@alicloud/openapi-client` signing with any credentials, temporary ones included:
 * with `securityToken` set it sends the token as the cloud expects (v3 header, v2 query parameter).
 */
export class CredentialsClient {
  private readonly client: OpenApi;

  constructor(
    emulator: Pick<RunningEmulator, 'endpoint'>,
    private readonly product: CloudProduct,
    credentials: Credentials,
    scheme: SignatureScheme = 'v3',
  ) {
    this.client = new OpenApi(
      new $OpenApi.Config({
        accessKeyId: credentials.accessKeyId,
        accessKeySecret: credentials.accessKeySecret,
        ...(credentials.securityToken === undefined ? {} : { securityToken: credentials.securityToken }),
        endpoint: emulator.endpoint,
        protocol: 'http',
        ...(scheme === 'v2' ? { signatureAlgorithm: 'v2' } : {}),
      }),
    );
  }

  async call<T = Record<string, unknown>>(action: string, params: Record<string, string | number | undefined> = {}): Promise<T> {
    const query: Record<string, string> = {};
    for (const [key, value] of Object.entries(params)) if (value !== undefined) query[key] = String(value);
    const method = this.product === 'ESA' ? (ESA_SHAPES[action]?.method ?? 'POST') : 'POST';
    const response = (await this.client.callApi(
      new $OpenApi.Params({
        action,
        version: VERSIONS[this.product],
        protocol: 'HTTP',
        pathname: '/',
        method,
        authType: 'AK',
        style: 'RPC',
        reqBodyType: 'formData',
        bodyType: 'json',
      }),
      new $OpenApi.OpenApiRequest({ query }),
      new $Util.RuntimeOptions({ readTimeout: 20_000, connectTimeout: 20_000 }),
    )) as { body: T };
    return response.body;
  }

  async fail(action: string, params: Record<string, string | number | undefined> = {}): Promise<CloudError> {
    try {
      await this.call(action, params);
    } catch (error) {
      return error as CloudError;
    }
    throw new Error(`${action} succeeded but was expected to fail`);
  }
}

/** Calls STS AssumeRole signed with `caller`; resolves to the answer. */
export function assumeRole(
  emulator: Pick<RunningEmulator, 'endpoint'>,
  caller: Credentials,
  params: { RoleArn: string; RoleSessionName?: string; DurationSeconds?: number | string; Policy?: string; ExternalId?: string },
  scheme: SignatureScheme = 'v3',
): Promise<AssumeRoleAnswer> {
  return new CredentialsClient(emulator, 'STS', caller, scheme).call<AssumeRoleAnswer>('AssumeRole', { RoleSessionName: 'gateway', ...params });
}

/** The credentials an AssumeRole answer carries. */
export function temporaryCredentials(answer: AssumeRoleAnswer): Credentials {
  return {
    accessKeyId: answer.Credentials.AccessKeyId,
    accessKeySecret: answer.Credentials.AccessKeySecret,
    securityToken: answer.Credentials.SecurityToken,
  };
}
