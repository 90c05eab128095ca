import { isoSeconds } from '../../pki/time-format';
import { type DomainExtensionRecord, type ListenerRecord, type LoadBalancerRecord } from '../../state/records';

/**
 * An instance as DescribeLoadBalancers lists it
 * (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeloadbalancers);
 * fields the emulator does not model (billing, protection) carry the values of a pay-as-you-go
 * instance without them. Lists nest as SLB nests them: `{Tags: {Tag: []}}`.
 */
export function loadBalancerSummary(record: LoadBalancerRecord): Record<string, unknown> {
  const created = new Date(Math.floor(record.createdAt / 1000) * 1000);
  return {
    LoadBalancerId: record.id,
    LoadBalancerName: record.name,
    LoadBalancerStatus: record.status,
    Address: record.address,
    AddressIPVersion: 'ipv4',
    AddressType: record.addressType,
    NetworkType: record.networkType,
    VpcId: record.vpcId,
    VSwitchId: record.vSwitchId,
    RegionId: record.regionId,
    RegionIdAlias: record.regionId,
    MasterZoneId: record.masterZoneId,
    SlaveZoneId: record.slaveZoneId,
    LoadBalancerSpec: record.loadBalancerSpec,
    InternetChargeType: 'paybytraffic',
    PayType: 'PayOnDemand',
    DeleteProtection: 'off',
    ModificationProtectionStatus: 'NonProtection',
    ResourceGroupId: record.resourceGroupId,
    CreateTime: isoSeconds(created),
    CreateTimeStamp: created.getTime(),
    Tags: { Tag: [] },
  };
}

/**
 * DescribeLoadBalancerAttribute
 * (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeloadbalancerattribute):
 * the summary plus its listeners three ways, as the API answers them: `ListenerPorts`,
 * `ListenerPortsAndProtocol` and the misspelt `ListenerPortsAndProtocal` the SDK models still read.
 * A pay-as-you-go instance never ends, which the doc's example writes as 2999-09-08T16:00:00Z.
 */
export function loadBalancerAttribute(record: LoadBalancerRecord): Record<string, unknown> {
  const ports = record.listeners.map((listener) => listener.port);
  return {
    ...loadBalancerSummary(record),
    Bandwidth: 5120,
    EndTime: '2999-09-08T16:00:00Z',
    EndTimeStamp: 32_493_801_600_000,
    ListenerPorts: { ListenerPort: ports },
    ListenerPortsAndProtocol: {
      ListenerPortAndProtocol: record.listeners.map((listener) => ({
        ListenerPort: listener.port,
        ListenerProtocol: listener.protocol,
        Description: listener.description,
      })),
    },
    ListenerPortsAndProtocal: {
      ListenerPortAndProtocal: record.listeners.map((listener) => ({ ListenerPort: listener.port, ListenerProtocal: listener.protocol })),
    },
    BackendServers: { BackendServer: [] },
  };
}

export function domainExtensionView(extension: DomainExtensionRecord): Record<string, unknown> {
  return { DomainExtensionId: extension.id, Domain: extension.domain, ServerCertificateId: extension.serverCertificateId };
}

/**
 * The settings an HTTPS listener reports besides its certificate. The emulator keeps only what
 * certificates care about; the rest are the defaults the listener pages give (wrr, health checks on
 * with their documented default thresholds, HTTP/2 on, request and idle timeouts 60 and 15 s).
 */
const HTTPS_DEFAULTS = {
  Scheduler: 'wrr',
  StickySession: 'off',
  HealthCheck: 'on',
  HealthCheckHttpCode: 'http_2xx',
  HealthCheckURI: '/',
  HealthCheckDomain: '',
  HealthCheckMethod: 'head',
  HealthCheckInterval: 2,
  HealthCheckTimeout: 5,
  HealthyThreshold: 3,
  UnhealthyThreshold: 3,
  XForwardedFor: 'on',
  XForwardedFor_SLBIP: 'off',
  XForwardedFor_SLBID: 'off',
  XForwardedFor_proto: 'off',
  Gzip: 'on',
  EnableHttp2: 'on',
  TLSCipherPolicy: 'tls_cipher_policy_1_0',
  RequestTimeout: 60,
  IdleTimeout: 15,
  AclStatus: 'off',
  SecurityStatus: 'on',
} as const;

/**
 * DescribeLoadBalancerHTTPSListenerAttribute
 * (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeloadbalancerhttpslistenerattribute):
 * the listener's certificate and its domain extensions, nested `{DomainExtensions: {DomainExtension: [...]}}`.
 */
export function httpsListenerAttribute(loadBalancer: LoadBalancerRecord, listener: ListenerRecord): Record<string, unknown> {
  return {
    LoadBalancerId: loadBalancer.id,
    ListenerPort: listener.port,
    BackendServerPort: listener.backendServerPort,
    Bandwidth: listener.bandwidth,
    Status: listener.status,
    Description: listener.description,
    ServerCertificateId: listener.https?.serverCertificateId ?? '',
    ...HTTPS_DEFAULTS,
    DomainExtensions: { DomainExtension: (listener.https?.domainExtensions ?? []).map(domainExtensionView) },
    Rules: { Rule: [] },
    Tags: { Tag: [] },
  };
}

/**
 * One entry of DescribeLoadBalancerListeners' flat `Listeners` array
 * (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeloadbalancerlisteners),
 * with the protocol's own settings under `HTTPSListenerConfig` or `HTTPListenerConfig`.
 */
export function listenerEntry(loadBalancer: LoadBalancerRecord, listener: ListenerRecord): Record<string, unknown> {
  const common = {
    LoadBalancerId: loadBalancer.id,
    ListenerPort: listener.port,
    ListenerProtocol: listener.protocol,
    BackendServerPort: listener.backendServerPort,
    Bandwidth: listener.bandwidth,
    Status: listener.status,
    Description: listener.description,
    Scheduler: HTTPS_DEFAULTS.Scheduler,
    AclStatus: HTTPS_DEFAULTS.AclStatus,
  };
  if (!listener.https) return { ...common, HTTPListenerConfig: { HealthCheck: 'on', StickySession: 'off', Gzip: 'on', XForwardedFor: 'on' } };
  return {
    ...common,
    HTTPSListenerConfig: {
      ServerCertificateId: listener.https.serverCertificateId,
      HealthCheck: HTTPS_DEFAULTS.HealthCheck,
      StickySession: HTTPS_DEFAULTS.StickySession,
      Gzip: HTTPS_DEFAULTS.Gzip,
      EnableHttp2: HTTPS_DEFAULTS.EnableHttp2,
      TLSCipherPolicy: HTTPS_DEFAULTS.TLSCipherPolicy,
      RequestTimeout: HTTPS_DEFAULTS.RequestTimeout,
      IdleTimeout: HTTPS_DEFAULTS.IdleTimeout,
      XForwardedFor: HTTPS_DEFAULTS.XForwardedFor,
    },
  };
}
