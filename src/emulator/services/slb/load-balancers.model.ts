import { randomInt } from 'node:crypto';
import { type Account } from '../../state/account';
import { type HttpsSettingsRecord, type ListenerRecord, type LoadBalancerRecord } from '../../state/records';
import { LoadBalancerErrors } from './load-balancer-errors';
import { loadBalancerId } from './load-balancer-ids';
import { DEFAULT_RESOURCE_GROUP_ID, requireRegion } from './server-certificates.model';
import { SlbErrors } from './slb-errors';

/** DescribeLoadBalancers' filters; each narrows the region's instances, all together. */
export interface LoadBalancerFilter {
  ids?: string[];
  names?: string[];
  status?: string;
  addressType?: string;
  networkType?: string;
  resourceGroupId?: string;
  address?: string;
  vpcId?: string;
  vSwitchId?: string;
}

/** The region's instances in the order they were created, narrowed by `filter`. An unknown id is no match, not an error. */
export function listLoadBalancers(account: Account, regionId: string, filter: LoadBalancerFilter): LoadBalancerRecord[] {
  requireRegion(account, regionId);
  const same = (wanted: string | undefined, value: string) => wanted === undefined || wanted === value;
  return [...account.loadBalancers.values()].filter(
    (lb) =>
      lb.regionId === regionId &&
      (filter.ids === undefined || filter.ids.includes(lb.id)) &&
      (filter.names === undefined || filter.names.includes(lb.name)) &&
      same(filter.status, lb.status) &&
      same(filter.addressType, lb.addressType) &&
      same(filter.networkType, lb.networkType) &&
      same(filter.resourceGroupId, lb.resourceGroupId) &&
      same(filter.address, lb.address) &&
      same(filter.vpcId, lb.vpcId) &&
      same(filter.vSwitchId, lb.vSwitchId),
  );
}

/**
 * The instance `id`; when the caller names a region (several actions leave RegionId optional), it
 * must be there too. An instance of another region is as unknown as one that never existed.
 */
export function findLoadBalancer(account: Account, id: string, regionId: string | undefined): LoadBalancerRecord {
  if (regionId !== undefined) requireRegion(account, regionId);
  const record = account.loadBalancers.get(id);
  if (!record || (regionId !== undefined && record.regionId !== regionId)) throw LoadBalancerErrors.loadBalancerNotFound();
  return record;
}

export interface HttpsListener {
  listener: ListenerRecord;
  https: HttpsSettingsRecord;
}

/** The HTTPS listener on `port`; a port with no listener, or with one of another protocol, is `ListenerNotFound`. */
export function findHttpsListener(loadBalancer: LoadBalancerRecord, port: number): HttpsListener {
  const listener = loadBalancer.listeners.find((candidate) => candidate.port === port);
  if (!listener?.https) throw LoadBalancerErrors.listenerNotFound();
  return { listener, https: listener.https };
}

/**
 * A listener or domain extension can serve only a certificate of its own region. SLB documents no
 * NotFound code for certificate ids, so an unknown one, or one of another region, gets the
 * InvalidParameter "ServerCertificateId is not Support." that DeleteServerCertificate gives.
 */
export function requireServableCertificate(account: Account, regionId: string, certificateId: string): void {
  const certificate = account.serverCertificates.get(certificateId);
  if (!certificate || certificate.regionId !== regionId) throw SlbErrors.certificateIdNotSupported();
}

/** SetLoadBalancerHTTPSListenerAttribute: the listener serves another certificate from now on. */
export function setListenerCertificate(account: Account, loadBalancer: LoadBalancerRecord, port: number, certificateId: string): void {
  const { https } = findHttpsListener(loadBalancer, port);
  requireServableCertificate(account, loadBalancer.regionId, certificateId);
  https.serverCertificateId = certificateId;
  account.touch();
}

export interface NewLoadBalancer {
  regionId: string;
  name: string | undefined;
  addressType: LoadBalancerRecord['addressType'];
  loadBalancerSpec: string | undefined;
  vpcId: string | undefined;
  vSwitchId: string | undefined;
  resourceGroupId: string | undefined;
}

/**
 * CreateLoadBalancer: an active instance with an address of its type. An instance in a vSwitch is a
 * VPC one; without a name it is called `auto_named_slb`, as the console names them.
 */
export function createLoadBalancer(account: Account, request: NewLoadBalancer, nowMs: number): LoadBalancerRecord {
  requireRegion(account, request.regionId);
  const octet = () => randomInt(1, 255);
  const record: LoadBalancerRecord = {
    id: loadBalancerId(request.regionId),
    regionId: request.regionId,
    name: request.name ?? 'auto_named_slb',
    status: 'active',
    address: request.addressType === 'internet' ? `47.${octet()}.${octet()}.${octet()}` : `192.168.${octet()}.${octet()}`,
    addressType: request.addressType,
    networkType: request.vSwitchId === undefined ? 'classic' : 'vpc',
    vpcId: request.vpcId ?? '',
    vSwitchId: request.vSwitchId ?? '',
    masterZoneId: `${request.regionId}-b`,
    slaveZoneId: `${request.regionId}-d`,
    loadBalancerSpec: request.loadBalancerSpec ?? 'slb.s2.small',
    resourceGroupId: request.resourceGroupId ?? DEFAULT_RESOURCE_GROUP_ID,
    createdAt: nowMs,
    listeners: [],
  };
  account.loadBalancers.set(record.id, record);
  account.touch();
  return record;
}

export interface NewHttpsListener {
  port: number;
  backendServerPort: number | undefined;
  bandwidth: number | undefined;
  description: string | undefined;
  serverCertificateId: string;
}

/**
 * CreateLoadBalancerHTTPSListener: a new listener starts `stopped`, as SLB's do until
 * StartLoadBalancerListener; one port takes one listener (`ListenerAlreadyExists`).
 */
export function createHttpsListener(account: Account, loadBalancer: LoadBalancerRecord, request: NewHttpsListener): ListenerRecord {
  if (loadBalancer.listeners.some((listener) => listener.port === request.port)) throw LoadBalancerErrors.listenerExists();
  requireServableCertificate(account, loadBalancer.regionId, request.serverCertificateId);
  const listener: ListenerRecord = {
    port: request.port,
    protocol: 'https',
    backendServerPort: request.backendServerPort ?? request.port,
    bandwidth: request.bandwidth ?? -1,
    status: 'stopped',
    description: request.description ?? `HTTPS/${request.port}`,
    https: { serverCertificateId: request.serverCertificateId, domainExtensions: [] },
  };
  loadBalancer.listeners.push(listener);
  account.touch();
  return listener;
}
