import { type Certificate, type CertificateRef, type RegionKey, type SiteKey } from './certificate';
import { type Site } from './site';

/**
 * Reads within one request, batched and memoised (implemented with DataLoaders in loaders/). A
 * failed read rejects with the GatewayError the provider gave for that one key.
 */
export interface CertificateReader {
  certificate(ref: CertificateRef): Promise<Certificate>;
  /** One account's sites. */
  sites(accountId: string): Promise<Site[]>;
  site(key: SiteKey): Promise<Site>;
  siteCertificates(key: SiteKey): Promise<Certificate[]>;
  regionCertificates(key: RegionKey): Promise<Certificate[]>;
  /**
   * After a mutation: forget what was read about the changed certificate and the lists it is in, in
   * this request and in the shared cache, so later reads (here and on every instance) see the change.
   */
  changed(change: Change): Promise<void>;
}

/** What a change touched, in one account. */
export interface Change {
  accountId: string;
  ref?: CertificateRef;
  siteId?: string;
  regionId?: string;
}
