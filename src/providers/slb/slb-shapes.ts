/**
 * The SLB 2014-05-15 response bodies the adapter reads, in the cloud's PascalCase
 * (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-uploadservercertificate,
 * https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeservercertificates). Lists are nested one level deeper than they look: `{ServerCertificates: {ServerCertificate:
 * [...]}}` and `{SubjectAlternativeNames: {SubjectAlternativeName: [...]}}`. Every field is optional:
 * the mapper checks each value before use. These types stay inside src/providers.
 */

export interface SlbServerCertificateWire {
  ServerCertificateId?: string;
  ServerCertificateName?: string;
  RegionId?: string;
  /** SHA-1, colon-separated hex. */
  Fingerprint?: string;
  CommonName?: string;
  SubjectAlternativeNames?: { SubjectAlternativeName?: string[] };
  /** `2017-08-31T02:49:05Z`. */
  CreateTime?: string;
  /** Milliseconds since the epoch. */
  CreateTimeStamp?: number;
  ExpireTime?: string;
  ExpireTimeStamp?: number;
  /** 1 = from Alibaba Cloud Certificate Management Service, 0 = uploaded PEM. */
  IsAliCloudCertificate?: number;
  AliCloudCertificateId?: string;
  AliCloudCertificateName?: string;
  ResourceGroupId?: string;
}

/** UploadServerCertificate answers the stored certificate at the top level. */
export type SlbUploadServerCertificateBody = SlbServerCertificateWire;

export interface SlbDescribeServerCertificatesBody {
  ServerCertificates?: { ServerCertificate?: SlbServerCertificateWire[] };
}

/** DescribeRegions (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeregions). */
export interface SlbDescribeRegionsBody {
  Regions?: { Region?: Array<{ RegionId?: string; LocalName?: string; RegionEndpoint?: string }> };
}

/**
 * DescribeLoadBalancerListeners
 * (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeloadbalancerlisteners):
 * a flat `Listeners` array, unlike SLB's other lists, each with its protocol's settings under
 * `HTTPSListenerConfig`; paged by MaxResults and an opaque NextToken, absent on the last page.
 */
export interface SlbListenerWire {
  LoadBalancerId?: string;
  ListenerPort?: number;
  ListenerProtocol?: string;
  Status?: string;
  HTTPSListenerConfig?: { ServerCertificateId?: string };
}

export interface SlbDescribeListenersBody {
  Listeners?: SlbListenerWire[];
  NextToken?: string;
  TotalCount?: number;
  MaxResults?: number;
}

export interface SlbDomainExtensionWire {
  DomainExtensionId?: string;
  Domain?: string;
  ServerCertificateId?: string;
}

/**
 * DescribeDomainExtensions (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describedomainextensions):
 * one listener's extensions, nested `{DomainExtensions: {DomainExtension: [...]}}`.
 */
export interface SlbDescribeDomainExtensionsBody {
  DomainExtensions?: { DomainExtension?: SlbDomainExtensionWire[] };
}

/**
 * DescribeLoadBalancerHTTPSListenerAttribute
 * (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeloadbalancerhttpslistenerattribute):
 * the listener's certificate at the top level, its domain extensions nested as above.
 */
export interface SlbHttpsListenerAttributeBody {
  LoadBalancerId?: string;
  ListenerPort?: number;
  ServerCertificateId?: string;
  DomainExtensions?: { DomainExtension?: SlbDomainExtensionWire[] };
}
