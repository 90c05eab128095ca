import OpenApi, * as $OpenApi from '@alicloud/openapi-client';
import * as $Util from '@alicloud/tea-util';
import { type RunningEmulator } from '../../src/emulator/emulator';

export type SignatureScheme = 'v3' | 'v2';

/**
 * How each action is sent, as the generated SDKs send it (https://github.com/aliyun/alibabacloud-typescript-sdk/blob/master/esa-20240910/src/client.ts,
 * https://github.com/aliyun/alibabacloud-java-sdk/blob/master/slb-20140515/src/main/java/com/aliyun/slb20140515/Client.java).
 */
export interface CallShape {
  method: 'GET' | 'POST';
  /** Parameters that travel in a form body; the rest go in the query string. */
  bodyParams?: string[];
}

export const ESA_SHAPES: Record<string, CallShape> = {
  ListSites: { method: 'GET' },
  GetSite: { method: 'GET' },
  ApplyCertificate: { method: 'POST' },
  GetCertificate: { method: 'POST' },
  ListCertificates: { method: 'POST' },
  SetCertificate: { method: 'POST', bodyParams: ['CasId', 'Certificate', 'Id', 'Name', 'PrivateKey', 'Region', 'SiteId', 'Type'] },
  DeleteCertificate: { method: 'GET' },
  CreateClientCertificate: { method: 'POST', bodyParams: ['CSR', 'PkeyType', 'ValidityDays'] },
  GetClientCertificate: { method: 'GET' },
  ListClientCertificates: { method: 'GET' },
  RevokeClientCertificate: { method: 'GET' },
  ActivateClientCertificate: { method: 'GET' },
  DeleteClientCertificate: { method: 'GET' },
  UploadSiteOriginClientCertificate: { method: 'POST', bodyParams: ['Certificate', 'Name', 'PrivateKey'] },
  GetSiteOriginClientCertificate: { method: 'GET' },
  ListSiteOriginClientCertificates: { method: 'GET' },
  DeleteSiteOriginClientCertificate: { method: 'GET' },
};

/** Extra headers or query values merged over what the client generates (it signs them too). */
export interface WireOverrides {
  headers?: Record<string, string>;
  query?: Record<string, string>;
  /** Send the parameters as a JSON body instead (reqBodyType json). */
  jsonBody?: boolean;
}

/** A thrown client error, as the tests look at it. */
export interface CloudError {
  code: string;
  statusCode: number;
  message: string;
  data?: Record<string, unknown>;
}

/**
 * The unmodified `@alicloud/openapi-client`, pointed at the emulator: what the gateway's adapters use,
 * so the tests speak exactly the protocol the real cloud receives.
 */
export class AlibabaTestClient {
  private readonly client: OpenApi;
  private readonly timeoutMs: number;

  constructor(
    emulator: Pick<RunningEmulator, 'endpoint'>,
    private readonly product: 'ESA' | 'SLB',
    options: { scheme?: SignatureScheme; accessKeyId?: string; accessKeySecret?: string; timeoutMs?: number } = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.client = new OpenApi(
      new $OpenApi.Config({
        accessKeyId: options.accessKeyId ?? 'emulator-key',
        accessKeySecret: options.accessKeySecret ?? 'emulator-secret',
        endpoint: emulator.endpoint,
        protocol: 'http',
        ...(options.scheme === 'v2' ? { signatureAlgorithm: 'v2' } : {}),
      }),
    );
  }

  /** Calls `action`; resolves to the response body (PascalCase, as the cloud sends it). */
  async call<T = Record<string, unknown>>(
    action: string,
    params: Record<string, string | number | boolean | undefined> = {},
    overrides: WireOverrides = {},
  ): Promise<T> {
    const shape: CallShape = this.product === 'ESA' ? (ESA_SHAPES[action] ?? { method: 'POST' }) : { method: 'POST' };
    const query: Record<string, string> = {};
    const body: Record<string, string> = {};
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined) continue;
      (shape.bodyParams?.includes(key) ? body : query)[key] = String(value);
    }
    if (overrides.jsonBody) {
      Object.assign(body, query);
      for (const key of Object.keys(query)) delete query[key];
    }
    const request = new $OpenApi.OpenApiRequest({
      query: { ...query, ...overrides.query },
      ...(overrides.headers ? { headers: overrides.headers } : {}),
      ...(Object.keys(body).length ? { body } : {}),
    });
    const callParams = new $OpenApi.Params({
      action,
      version: this.product === 'ESA' ? '2024-09-10' : '2014-05-15',
      protocol: 'HTTP',
      pathname: '/',
      method: overrides.jsonBody ? 'POST' : shape.method,
      authType: 'AK',
      style: 'RPC',
      reqBodyType: overrides.jsonBody ? 'json' : 'formData',
      bodyType: 'json',
    });
    // Both bounds: the client's connect timeout is the socket's idle timeout, so it also fires while it waits for
    // the answer (httpx, the client's transport: node_modules/httpx/lib/index.js).
    const runtime = new $Util.RuntimeOptions({ readTimeout: this.timeoutMs, connectTimeout: this.timeoutMs });
    const response = (await this.client.callApi(callParams, request, runtime)) as { body: T };
    return response.body;
  }

  /** Calls `action` expecting it to fail; resolves to the error. */
  async fail(
    action: string,
    params: Record<string, string | number | boolean | undefined> = {},
    overrides: WireOverrides = {},
  ): Promise<CloudError> {
    try {
      await this.call(action, params, overrides);
    } catch (error) {
      return error as CloudError;
    }
    throw new Error(`${action} succeeded but was expected to fail`);
  }
}
