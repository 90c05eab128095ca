import { type RpcCall } from '../alibaba/rpc-client';

/**
 * How each ESA action travels, as Alibaba's generated ESA SDK sends it (`@alicloud/esa20240910`,
 * https://github.com/aliyun/alibabacloud-typescript-sdk/blob/master/esa-20240910/src/client.ts): the HTTP
 * method differs per action (reads such as GetCertificate are POST, deletes are GET), and only the
 * parameters listed under `body` go in the form body. Certificates, keys and CSRs are among them, so
 * they stay out of URLs and access logs.
 */
interface ActionShape {
  method: 'GET' | 'POST';
  body?: readonly string[];
}

const WIRE_SHAPES = {
  ListSites: { method: 'GET' },
  GetSite: { method: 'GET' },
  ListCertificates: { method: 'POST' },
  GetCertificate: { method: 'POST' },
  ApplyCertificate: { method: 'POST' },
  // SiteId too travels in the body here, unlike every other action (the SDK's setCertificateWithOptions).
  SetCertificate: { method: 'POST', body: ['CasId', 'Certificate', 'Id', 'Name', 'PrivateKey', 'Region', 'SiteId', 'Type'] },
  DeleteCertificate: { method: 'GET' },
  CreateClientCertificate: { method: 'POST', body: ['CSR', 'PkeyType', 'ValidityDays'] },
  GetClientCertificate: { method: 'GET' },
  ListClientCertificates: { method: 'GET' },
  RevokeClientCertificate: { method: 'GET' },
  ActivateClientCertificate: { method: 'GET' },
  DeleteClientCertificate: { method: 'GET' },
  UploadSiteOriginClientCertificate: { method: 'POST', body: ['Certificate', 'Name', 'PrivateKey'] },
  GetSiteOriginClientCertificate: { method: 'GET' },
  ListSiteOriginClientCertificates: { method: 'GET' },
  DeleteSiteOriginClientCertificate: { method: 'GET' },
  GetCertificateQuota: { method: 'GET' },
} as const satisfies Record<string, ActionShape>;

export type EsaAction = keyof typeof WIRE_SHAPES;

export type EsaParams = Record<string, string | number | boolean | undefined>;

/** The call for `action`, each parameter placed where the SDK places it. */
export function esaCall(action: EsaAction, params: EsaParams): RpcCall {
  const shape: ActionShape = WIRE_SHAPES[action];
  const query: EsaParams = {};
  const body: EsaParams = {};
  for (const [name, value] of Object.entries(params)) {
    (shape.body?.includes(name) ? body : query)[name] = value;
  }
  return { method: shape.method, query, ...(shape.body ? { body } : {}) };
}
