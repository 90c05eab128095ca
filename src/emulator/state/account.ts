import { createHash } from 'node:crypto';
import { type AuthorityRecord } from '../pki/certificate-authority';
import { Mutex } from './mutex';
import {
  type CasCertificateRecord,
  type ClientCertificateRecord,
  type EdgeCertificateRecord,
  type LoadBalancerRecord,
  type OriginClientCertificateRecord,
  type ServerCertificateRecord,
  type SiteRecord,
} from './records';
import { roleKey, type RoleRecord } from './role-record';

export interface ClientAuthority {
  /** ESA's `CACertificateId`. */
  id: string;
  authority: AuthorityRecord;
}

/** An account's state in plain JSON form: what `--state FILE` holds and what the demo template is. */
export interface AccountSnapshot {
  sites: SiteRecord[];
  edgeCertificates: EdgeCertificateRecord[];
  clientAuthority?: ClientAuthority;
  clientCertificates: ClientCertificateRecord[];
  originClientCertificates: OriginClientCertificateRecord[];
  regions: string[];
  serverCertificates: ServerCertificateRecord[];
  casCertificates: CasCertificateRecord[];
  /** Absent from state files written before roles existed. */
  roles?: RoleRecord[];
  /** SLB instances with their listeners; absent from state files written before they existed. */
  loadBalancers?: LoadBalancerRecord[];
}

/**
 * One cloud account: what a single access key sees. Maps keep insertion order, which is the order
 * lists answer in. Mutating calls run under `lock`, so a check and the write it guards never
 * interleave with another call's.
 */
export class Account {
  readonly sites = new Map<string, SiteRecord>();
  readonly edgeCertificates = new Map<string, EdgeCertificateRecord>();
  clientAuthority?: ClientAuthority;
  readonly clientCertificates = new Map<string, ClientCertificateRecord>();
  readonly originClientCertificates = new Map<string, OriginClientCertificateRecord>();
  readonly regions = new Set<string>();
  readonly serverCertificates = new Map<string, ServerCertificateRecord>();
  readonly casCertificates = new Map<string, CasCertificateRecord>();
  /** RAM roles by lowercased name (role-record.ts). */
  readonly roles = new Map<string, RoleRecord>();
  /** SLB instances by id, listeners and domain extensions inside. */
  readonly loadBalancers = new Map<string, LoadBalancerRecord>();
  readonly lock = new Mutex();
  /** Bumped by every change, so the store knows when there is something to save. */
  revision = 0;

  constructor(readonly accessKeyId: string) {}

  /** The account's numeric id (Alibaba's "UID"), derived from the key so it is stable across restarts. */
  get uid(): string {
    return accountIdOf(this.accessKeyId);
  }

  touch(): void {
    this.revision += 1;
  }

  static fromSnapshot(accessKeyId: string, snapshot: AccountSnapshot): Account {
    const account = new Account(accessKeyId);
    account.load(snapshot);
    return account;
  }

  /** Adds the snapshot's records, replacing any with the same id. */
  load(snapshot: Partial<AccountSnapshot>): void {
    for (const site of snapshot.sites ?? []) this.sites.set(site.id, site);
    for (const cert of snapshot.edgeCertificates ?? []) this.edgeCertificates.set(cert.id, cert);
    if (snapshot.clientAuthority) this.clientAuthority = snapshot.clientAuthority;
    for (const cert of snapshot.clientCertificates ?? []) this.clientCertificates.set(cert.id, cert);
    for (const cert of snapshot.originClientCertificates ?? []) this.originClientCertificates.set(cert.id, cert);
    for (const region of snapshot.regions ?? []) this.regions.add(region);
    for (const cert of snapshot.serverCertificates ?? []) this.serverCertificates.set(cert.id, cert);
    for (const cert of snapshot.casCertificates ?? []) this.casCertificates.set(cert.id, cert);
    for (const role of snapshot.roles ?? []) this.roles.set(roleKey(role.name), role);
    for (const loadBalancer of snapshot.loadBalancers ?? []) this.loadBalancers.set(loadBalancer.id, loadBalancer);
  }

  snapshot(): AccountSnapshot {
    return {
      sites: [...this.sites.values()],
      edgeCertificates: [...this.edgeCertificates.values()],
      ...(this.clientAuthority ? { clientAuthority: this.clientAuthority } : {}),
      clientCertificates: [...this.clientCertificates.values()],
      originClientCertificates: [...this.originClientCertificates.values()],
      regions: [...this.regions],
      serverCertificates: [...this.serverCertificates.values()],
      casCertificates: [...this.casCertificates.values()],
      roles: [...this.roles.values()],
      loadBalancers: [...this.loadBalancers.values()],
    };
  }
}

/** The 16-digit account id (Alibaba's "UID") of an access key's account, the same on every run. */
export function accountIdOf(accessKeyId: string): string {
  const digest = createHash('sha256').update(accessKeyId).digest();
  return (1_000_000_000_000_000n + (digest.readBigUInt64BE(0) % 8_999_999_999_999_999n)).toString();
}
