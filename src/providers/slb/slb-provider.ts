import { type Certificate, type CertificateRef, type CertificateUsage, type RegionKey } from '../../domain/certificate';
import { isRegionId } from '../../domain/validation/identifiers';
import { GatewayError } from '../../domain/errors/gateway-error';
import { type RpcClient } from '../alibaba/rpc-client';
import { type Fetched, type HttpsListener, type ServerCertificateInput, type SlbProvider } from '../certificate-provider';
import { mapWithConcurrency } from '../concurrency';
import { mapDomainExtensions, mapHttpsListener, mapListenerPage, usagesByCertificate, type HttpsListenerPlace } from './slb-listener-mapper';
import { mapServerCertificate, mapServerCertificates } from './slb-mapper';
import {
  type SlbDescribeDomainExtensionsBody,
  type SlbDescribeListenersBody,
  type SlbDescribeRegionsBody,
  type SlbDescribeServerCertificatesBody,
  type SlbHttpsListenerAttributeBody,
  type SlbUploadServerCertificateBody,
} from './slb-shapes';

export interface SlbProviderOptions {
  /** The gateway's account these calls are signed for: every ref read here carries it. */
  accountId: string;
  /**
   * Most calls in flight for one read: DescribeServerCertificates for a batch (one per distinct region;
   * a batch rarely spans more than 4), DescribeDomainExtensions for a region's usages (one per HTTPS listener).
   */
  concurrency: number;
}

type SlbAction =
  | 'DescribeRegions'
  | 'DescribeServerCertificates'
  | 'UploadServerCertificate'
  | 'DeleteServerCertificate'
  | 'SetServerCertificateName'
  | 'DescribeLoadBalancerListeners'
  | 'DescribeDomainExtensions'
  | 'DescribeLoadBalancerHTTPSListenerAttribute'
  | 'SetLoadBalancerHTTPSListenerAttribute'
  | 'SetDomainExtensionAttribute';
type CertificateAction = 'SetServerCertificateName' | 'DeleteServerCertificate' | 'SetLoadBalancerHTTPSListenerAttribute' | 'SetDomainExtensionAttribute';

/** DescribeLoadBalancerListeners' largest page ("Valid values: 1 to 100"), so a region's listeners cost the fewest calls. */
const LISTENER_PAGE_SIZE = 100;

/**
 * A listener listed a moment ago whose domain extensions SLB no longer finds was deleted in between
 * (or its instance was): it serves nothing, so it is left out of the usages rather than failing them.
 */
const LISTENER_GONE = new Set(['ListenerNotFound', 'InvalidLoadBalancerId.NotFound']);
type SlbRef = Extract<CertificateRef, { provider: 'SLB' }>;

/**
 * SLB 2014-05-15 behind the CertificateProvider port. Every SLB action is a POST with all parameters
 * in the query string, PEM certificate and key included, as its SDKs send them (the SLB 2014-05-15
 * clients of https://github.com/aliyun/alibabacloud-typescript-sdk/tree/master/slb-20140515).
 */
export class SlbCloudProvider implements SlbProvider {
  readonly name = 'SLB';

  constructor(
    private readonly client: RpcClient,
    private readonly options: SlbProviderOptions,
  ) {}

  /** The regions the account has, as DescribeRegions lists them. */
  async describeRegions(): Promise<string[]> {
    const { body } = await this.call<SlbDescribeRegionsBody>('DescribeRegions', {});
    const regions = body.Regions?.Region;
    return [...new Set((Array.isArray(regions) ? regions : []).flatMap((region) => (typeof region?.RegionId === 'string' && isRegionId(region.RegionId) ? [region.RegionId] : [])))];
  }

  /**
   * A region lists all its certificates in one call, so a batch costs one DescribeServerCertificates
   * per distinct region, read without an id filter and matched here.
   */
  async getCertificates(refs: readonly CertificateRef[]): Promise<Fetched<Certificate>[]> {
    const mine = (ref: CertificateRef) => ref.provider === 'SLB' && ref.accountId === this.options.accountId;
    const regions = [...new Set(refs.flatMap((ref) => (ref.provider === 'SLB' && mine(ref) ? [ref.regionId] : [])))];
    const listed = await mapWithConcurrency(regions, this.options.concurrency, async (regionId) => {
      try {
        return await this.describe(regionId);
      } catch (error) {
        return asGatewayError(error, 'DescribeServerCertificates');
      }
    });
    const byRegion = new Map(regions.map((regionId, index) => [regionId, listed[index]]));
    return refs.map((ref) => {
      if (ref.provider !== 'SLB' || !mine(ref)) return notSlb();
      const region = byRegion.get(ref.regionId);
      if (region === undefined || region instanceof GatewayError) return region ?? notSlb();
      return region.certificates.find((certificate) => certificate.ref.nativeId === ref.nativeId) ?? notFound('DescribeServerCertificates', region.requestId);
    });
  }

  async describeServerCertificates(regionId: string, ids?: readonly string[]): Promise<Certificate[]> {
    const { certificates } = await this.describe(regionId);
    if (ids === undefined) return certificates;
    const wanted = new Set(ids);
    return certificates.filter((certificate) => wanted.has(certificate.ref.nativeId));
  }

  async uploadServerCertificate(input: ServerCertificateInput): Promise<Certificate> {
    const action = 'UploadServerCertificate';
    const { body, requestId } = await this.call<SlbUploadServerCertificateBody>(action, {
      RegionId: input.regionId,
      ServerCertificate: input.serverCertificate,
      PrivateKey: input.privateKey,
      ServerCertificateName: input.name,
      ResourceGroupId: input.resourceGroupId,
      AliCloudCertificateId: input.aliCloudCertificateId,
      AliCloudCertificateName: input.aliCloudCertificateName,
    });
    const nativeId = typeof body.ServerCertificateId === 'string' ? body.ServerCertificateId.trim() : '';
    if (nativeId === '') {
      throw new GatewayError('INTERNAL_SERVER_ERROR', `SLB ${action} answered without the new ServerCertificateId.`, {
        provider: 'SLB',
        action,
        ...(requestId ? { requestId } : {}),
      });
    }
    return mapServerCertificate(body, this.region(input.regionId), nativeId);
  }

  async renameServerCertificate(ref: CertificateRef, name: string): Promise<void> {
    const slbRef = this.slbRefOf(ref);
    await this.callOnCertificate('SetServerCertificateName', {
      RegionId: slbRef.regionId,
      ServerCertificateId: slbRef.nativeId,
      ServerCertificateName: name,
    });
  }

  async deleteCertificate(ref: CertificateRef): Promise<void> {
    const slbRef = this.slbRefOf(ref);
    await this.callOnCertificate('DeleteServerCertificate', { RegionId: slbRef.regionId, ServerCertificateId: slbRef.nativeId });
  }

  /**
   * Every HTTPS listener of the region (DescribeLoadBalancerListeners, ListenerProtocol=https, all
   * pages of 100), then each one's domain extensions (one DescribeDomainExtensions per listener, at
   * most `concurrency` at once: DescribeLoadBalancerListeners does not report them). Any failure but a
   * listener gone in between fails the whole read: half the usages would read as certificates free to delete.
   */
  async describeCertificateUsages(regionId: string): Promise<Map<string, CertificateUsage[]>> {
    const listeners = await this.httpsListeners(regionId);
    const described = await mapWithConcurrency(listeners, this.options.concurrency, async (listener) => {
      try {
        const { body } = await this.call<SlbDescribeDomainExtensionsBody>('DescribeDomainExtensions', {
          RegionId: regionId,
          LoadBalancerId: listener.loadBalancerId,
          ListenerPort: listener.listenerPort,
        });
        return [{ ...listener, domainExtensions: mapDomainExtensions(body.DomainExtensions) }];
      } catch (error) {
        if (error instanceof GatewayError && LISTENER_GONE.has(error.code)) return [];
        throw error;
      }
    });
    return usagesByCertificate(this.region(regionId), described.flat());
  }

  async describeHttpsListener(regionId: string, loadBalancerId: string, listenerPort: number): Promise<HttpsListener> {
    const { body } = await this.call<SlbHttpsListenerAttributeBody>('DescribeLoadBalancerHTTPSListenerAttribute', {
      RegionId: regionId,
      LoadBalancerId: loadBalancerId,
      ListenerPort: listenerPort,
    });
    return mapHttpsListener(body, { regionId, loadBalancerId, listenerPort });
  }

  async setListenerCertificate(regionId: string, loadBalancerId: string, listenerPort: number, serverCertificateId: string): Promise<void> {
    await this.callOnCertificate('SetLoadBalancerHTTPSListenerAttribute', {
      RegionId: regionId,
      LoadBalancerId: loadBalancerId,
      ListenerPort: listenerPort,
      ServerCertificateId: serverCertificateId,
    });
  }

  async setDomainExtensionCertificate(regionId: string, domainExtensionId: string, serverCertificateId: string): Promise<void> {
    await this.callOnCertificate('SetDomainExtensionAttribute', {
      RegionId: regionId,
      DomainExtensionId: domainExtensionId,
      ServerCertificateId: serverCertificateId,
    });
  }

  /** The region's HTTPS listeners, every page, following NextToken until an answer has none. */
  private async httpsListeners(regionId: string): Promise<HttpsListenerPlace[]> {
    const listeners: HttpsListenerPlace[] = [];
    const seen = new Set<string>();
    let nextToken: string | undefined;
    do {
      const { body, requestId } = await this.call<SlbDescribeListenersBody>('DescribeLoadBalancerListeners', {
        RegionId: regionId,
        ListenerProtocol: 'https',
        MaxResults: LISTENER_PAGE_SIZE,
        NextToken: nextToken,
      });
      const page = mapListenerPage(body);
      listeners.push(...page.listeners);
      nextToken = page.nextToken;
      // A token answered twice would page forever: the answer cannot be trusted to be complete.
      if (nextToken !== undefined && seen.has(nextToken)) {
        throw new GatewayError('INTERNAL_SERVER_ERROR', 'SLB DescribeLoadBalancerListeners answered a NextToken it had answered before.', {
          provider: 'SLB',
          action: 'DescribeLoadBalancerListeners',
          ...(requestId ? { requestId } : {}),
        });
      }
      if (nextToken !== undefined) seen.add(nextToken);
    } while (nextToken !== undefined);
    return listeners;
  }

  /** An action on one named certificate: SLB's answer for an id it does not know becomes the read's. */
  private async callOnCertificate(action: CertificateAction, query: Record<string, string | number | undefined>): Promise<void> {
    try {
      await this.call(action, query);
    } catch (error) {
      if (error instanceof GatewayError && isUnknownCertificateId(error)) throw notFound(action, error.details.requestId, error.httpStatus);
      throw error;
    }
  }

  private async describe(regionId: string): Promise<{ certificates: Certificate[]; requestId?: string }> {
    const { body, requestId } = await this.call<SlbDescribeServerCertificatesBody>('DescribeServerCertificates', { RegionId: regionId });
    return { certificates: mapServerCertificates(body, this.region(regionId)), ...(requestId ? { requestId } : {}) };
  }

  private region(regionId: string): RegionKey {
    return { accountId: this.options.accountId, regionId };
  }

  /** An SLB ref of this provider's account: another account's certificate is never asked for with these credentials. */
  private slbRefOf(ref: CertificateRef): SlbRef {
    if (ref.provider !== 'SLB' || ref.accountId !== this.options.accountId) throw notSlb();
    return ref;
  }

  private call<Body>(action: SlbAction, query: Record<string, string | number | undefined>) {
    return this.client.call<Body>(action, { method: 'POST', query });
  }
}

/**
 * SLB documents no code for an absent server certificate: a read lists nothing, and Delete,
 * SetServerCertificateName and the actions that point a listener or a domain extension at a
 * certificate answer InvalidParameter "The specified parameter ServerCertificateId is not Support."
 * (SLB's common error codes,
 * https://github.com/AlibabaCloudDocs/slb/blob/master/intl.en-US/Classic%20Load%20Balancer/CLB%20Developer%20Guide/Developer%20Guide/Common%20error%20codes.md;
 * the DeleteServerCertificate page,
 * https://www.alibabacloud.com/help/doc-detail/34182.htm, lists no other code for it). The gateway
 * reports absence with ESA's documented `Certificate.NotFound` for both clouds and every action, so
 * callers handle one code for "not there". The status is what SLB answered, 404 for a read that found
 * nothing in its list.
 */
function notFound(action: SlbAction, requestId: string | undefined, httpStatus = 404): GatewayError {
  return new GatewayError('Certificate.NotFound', 'The specified server certificate does not exist.', {
    provider: 'SLB',
    action,
    httpStatus,
    ...(requestId ? { requestId } : {}),
  });
}

function isUnknownCertificateId(error: GatewayError): boolean {
  return error.code === 'InvalidParameter' && /ServerCertificateId is not Support/i.test(error.message);
}

function notSlb(): GatewayError {
  return GatewayError.refused('InvalidParameter', 'GATEWAY', 'The certificate is not an SLB server certificate.');
}


function asGatewayError(error: unknown, action: SlbAction): GatewayError {
  return error instanceof GatewayError ? error : new GatewayError('INTERNAL_SERVER_ERROR', 'Internal server error.', { provider: 'SLB', action });
}
