import { type Certificate, type CertificateRef, type SiteKey } from '../../domain/certificate';
import { GatewayError } from '../../domain/errors/gateway-error';
import { type Site } from '../../domain/site';
import { type RpcClient } from '../alibaba/rpc-client';
import {
  type ApplyCertificateInput,
  type ApplyCertificateResult,
  type CreateClientCertificateInput,
  type CertificateQuota,
  type CreatedClientCertificate,
  type EsaProvider,
  type Fetched,
  type OriginClientCertificateInput,
  type SiteCertificateInput,
} from '../certificate-provider';
import { mapWithConcurrency } from '../concurrency';
import { esaCall, type EsaAction, type EsaParams } from './esa-actions';
import {
  mapApplication,
  mapCertificateBody,
  mapCertificateList,
  mapCreatedClientCertificate,
  mapQuotaPool,
  mapSite,
  mapSites,
  mapUploadedOriginClientCertificate,
  type EsaAnyCertificateWire,
  type EsaKind,
} from './esa-mapper';
import {
  type EsaApplyCertificateBody,
  type EsaCreateClientCertificateBody,
  type EsaGetCertificateBody,
  type EsaGetCertificateQuotaBody,
  type EsaGetSiteBody,
  type EsaIssuedCertificateBody,
  type EsaListCertificatesBody,
  type EsaListSitesBody,
  type EsaSetCertificateBody,
} from './esa-shapes';

export interface EsaProviderOptions {
  /** The gateway's account these calls are signed for: every ref and site read here carries it. */
  accountId: string;
  /** Most calls in flight for one batch read: ESA has no batch get, so a batch is one call per ref. */
  concurrency: number;
}

type EsaRef = Extract<CertificateRef, { provider: 'ESA' }>;

/**
 * GetCertificateQuota answers one pool per call: `free` (applied certificates), the one its page
 * names, and `paid` (uploaded and CAS certificates).
 */
const QUOTA_POOLS = ['free', 'paid'] as const;

/** The actions that read, list and delete each kind of ESA certificate. */
const KIND_ACTIONS: Record<EsaKind, { get: EsaAction; list: EsaAction; delete: EsaAction }> = {
  EDGE: { get: 'GetCertificate', list: 'ListCertificates', delete: 'DeleteCertificate' },
  CLIENT: { get: 'GetClientCertificate', list: 'ListClientCertificates', delete: 'DeleteClientCertificate' },
  ORIGIN_CLIENT: { get: 'GetSiteOriginClientCertificate', list: 'ListSiteOriginClientCertificates', delete: 'DeleteSiteOriginClientCertificate' },
};

/**
 * Each list's documented largest page, so a sweep makes the fewest calls: ListSites
 * (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-listsites),
 * ListCertificates and ListClientCertificates take up to 500 a page, ListSiteOriginClientCertificates
 * up to 1024. Pages are followed until TotalCount is reached.
 */
const PAGE_SIZES: Partial<Record<EsaAction, number>> = {
  ListSites: 500,
  ListCertificates: 500,
  ListClientCertificates: 500,
  ListSiteOriginClientCertificates: 1024,
};
const DEFAULT_PAGE_SIZE = 100;

/**
 * ESA 2024-09-10 behind the CloudProvider port. The RpcClient (endpoint, credentials, timeout)
 * comes in through the constructor; every failure leaves as the GatewayError it raises. Keys given
 * to upload actions go into the outgoing request and nowhere else.
 */
export class EsaCloudProvider implements EsaProvider {
  readonly name = 'ESA';

  constructor(
    private readonly client: RpcClient,
    private readonly options: EsaProviderOptions,
  ) {}

  async listSites(): Promise<Site[]> {
    return this.allPages('ListSites', {}, (body: EsaListSitesBody) => ({ items: mapSites(body.Sites, this.options.accountId), total: body.TotalCount }));
  }

  getSites(ids: readonly string[]): Promise<Fetched<Site>[]> {
    return mapWithConcurrency(ids, this.options.concurrency, (id) =>
      settle(async () => {
        const { body } = await this.call<EsaGetSiteBody>('GetSite', { SiteId: id });
        return mapSite(body.SiteModel, this.site(id));
      }, 'GetSite'),
    );
  }

  getCertificates(refs: readonly CertificateRef[]): Promise<Fetched<Certificate>[]> {
    return mapWithConcurrency(refs, this.options.concurrency, (ref) =>
      settle(async () => {
        const esaRef = this.esaRefOf(ref);
        const { body } = await this.call<EsaGetCertificateBody<EsaAnyCertificateWire>>(KIND_ACTIONS[esaRef.kind].get, {
          SiteId: esaRef.siteId,
          Id: esaRef.nativeId,
        });
        return mapCertificateBody(esaRef.kind, body, esaRef);
      }, ref.provider === 'ESA' ? KIND_ACTIONS[ref.kind].get : undefined),
    );
  }

  /**
   * Edge, then client, then origin client certificates. A plan without a client-certificate feature
   * refuses that feature's actions with QuotaCheckFailed.Function (error tables of
   * https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-uploadsiteoriginclientcertificate and
   * https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-createclientcertificate); such a site
   * simply has none of those certificates, so the refusal reads as an empty list.
   */
  async listSiteCertificates(siteId: string): Promise<Certificate[]> {
    const lists = await Promise.all(
      (['EDGE', 'CLIENT', 'ORIGIN_CLIENT'] as const).map(async (kind) => {
        try {
          return await this.allPages(KIND_ACTIONS[kind].list, { SiteId: siteId }, (body: EsaListCertificatesBody<EsaAnyCertificateWire>) => ({
            items: mapCertificateList(kind, body, this.site(siteId)),
            total: body.TotalCount,
          }));
        } catch (error) {
          if (kind !== 'EDGE' && error instanceof GatewayError && error.code === 'QuotaCheckFailed.Function') return [];
          throw error;
        }
      }),
    );
    return lists.flat();
  }

  async applyCertificate(input: ApplyCertificateInput): Promise<ApplyCertificateResult> {
    const params = { SiteId: input.siteId, Domains: input.domains.join(','), Type: input.type };
    const { body } = await this.call<EsaApplyCertificateBody>('ApplyCertificate', params);
    return mapApplication(body, this.site(input.siteId));
  }

  async setCertificate(input: SiteCertificateInput): Promise<CertificateRef> {
    const params =
      input.kind === 'upload'
        ? { SiteId: input.siteId, Type: 'upload', Name: input.name, Certificate: input.certificate, PrivateKey: input.privateKey }
        : { SiteId: input.siteId, Type: 'cas', Name: input.name, CasId: input.casId };
    const answer = await this.call<EsaSetCertificateBody>('SetCertificate', params);
    return { provider: 'ESA', kind: 'EDGE', accountId: this.options.accountId, siteId: input.siteId, nativeId: requireId('SetCertificate', answer) };
  }

  async createClientCertificate(input: CreateClientCertificateInput): Promise<CreatedClientCertificate> {
    const params = { SiteId: input.siteId, CSR: input.csr, PkeyType: input.keyAlgorithm, ValidityDays: input.validityDays };
    const answer = await this.call<EsaCreateClientCertificateBody>('CreateClientCertificate', params);
    return mapCreatedClientCertificate(answer.body, this.site(input.siteId), requireId('CreateClientCertificate', answer));
  }

  async uploadOriginClientCertificate(input: OriginClientCertificateInput): Promise<Certificate> {
    const params = { SiteId: input.siteId, Certificate: input.certificate, PrivateKey: input.privateKey, Name: input.name };
    const answer = await this.call<EsaIssuedCertificateBody>('UploadSiteOriginClientCertificate', params);
    return mapUploadedOriginClientCertificate(answer.body, this.site(input.siteId), requireId('UploadSiteOriginClientCertificate', answer));
  }

  async revokeClientCertificate(ref: CertificateRef): Promise<void> {
    await this.clientCertificateAction('RevokeClientCertificate', ref);
  }

  async activateClientCertificate(ref: CertificateRef): Promise<void> {
    await this.clientCertificateAction('ActivateClientCertificate', ref);
  }

  /** Both pools, asked at once (two GetCertificateQuota calls); either failing fails the read. */
  async getCertificateQuota(siteId: string): Promise<CertificateQuota> {
    const action = 'GetCertificateQuota';
    const pools = await Promise.all(
      QUOTA_POOLS.map(async (type) => {
        const { body, requestId } = await this.call<EsaGetCertificateQuotaBody>(action, { SiteId: siteId, Type: type });
        const { quota, usage } = mapQuotaPool(body);
        if (quota === undefined || usage === undefined) {
          throw new GatewayError('INTERNAL_SERVER_ERROR', `ESA ${action} answered the ${type} pool without Quota or QuotaUsage.`, {
            provider: 'ESA',
            action,
            ...(requestId ? { requestId } : {}),
          });
        }
        return { type, quota, usage };
      }),
    );
    return { siteId, pools };
  }

  async deleteCertificate(ref: CertificateRef): Promise<void> {
    const esaRef = this.esaRefOf(ref);
    await this.call(KIND_ACTIONS[esaRef.kind].delete, { SiteId: esaRef.siteId, Id: esaRef.nativeId });
  }

  private async clientCertificateAction(action: EsaAction, ref: CertificateRef): Promise<void> {
    const esaRef = this.esaRefOf(ref);
    if (esaRef.kind !== 'CLIENT') throw GatewayError.refused('InvalidParameter', 'GATEWAY', `${action} applies to client certificates only.`);
    await this.call(action, { SiteId: esaRef.siteId, Id: esaRef.nativeId });
  }

  /** Every page of a list, following TotalCount; an empty page ends it whatever the count says. */
  private async allPages<Body, Item>(action: EsaAction, params: EsaParams, read: (body: Body) => { items: Item[]; total: unknown }): Promise<Item[]> {
    const items: Item[] = [];
    const pageSize = PAGE_SIZES[action] ?? DEFAULT_PAGE_SIZE;
    for (let page = 1; ; page++) {
      const { body } = await this.call<Body>(action, { ...params, PageNumber: page, PageSize: pageSize });
      const { items: pageItems, total } = read(body);
      items.push(...pageItems);
      // Counting what arrived, not pages, stays right when the cloud caps PageSize below what was asked.
      const more = typeof total === 'number' ? items.length < total : pageItems.length === pageSize;
      if (!more || pageItems.length === 0) return items;
    }
  }

  private call<Body>(action: EsaAction, params: EsaParams) {
    return this.client.call<Body>(action, esaCall(action, params));
  }

  private site(siteId: string): SiteKey {
    return { accountId: this.options.accountId, siteId };
  }

  /** An ESA ref of this provider's account: another account's certificate is never asked for with these credentials. */
  private esaRefOf(ref: CertificateRef): EsaRef {
    if (ref.provider !== 'ESA') throw GatewayError.refused('InvalidParameter', 'GATEWAY', 'The certificate is not an ESA certificate.');
    if (ref.accountId !== this.options.accountId) throw GatewayError.refused('InvalidParameter', 'GATEWAY', 'The certificate belongs to another account.');
    return ref;
  }
}

/** A new certificate's Id is the one thing an answer must carry: without it nothing can be read back. */
function requireId(action: EsaAction, answer: { body: { Id?: unknown }; requestId?: string }): string {
  const id = answer.body.Id;
  if (typeof id === 'string' && id.trim() !== '') return id.trim();
  throw new GatewayError('INTERNAL_SERVER_ERROR', `ESA ${action} answered without the new certificate's Id.`, {
    provider: 'ESA',
    action,
    ...(answer.requestId ? { requestId: answer.requestId } : {}),
  });
}

/** One batch slot: the value, or the error of this ref alone (DataLoader's contract, STYLE.md habit 3). */
async function settle<T>(work: () => Promise<T>, action: string | undefined): Promise<Fetched<T>> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    return new GatewayError('INTERNAL_SERVER_ERROR', 'Internal server error.', { provider: 'ESA', ...(action ? { action } : {}) });
  }
}
