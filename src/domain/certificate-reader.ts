import { type Certificate, type CertificateRef } from './certificate';
import { type Site } from './site';

/**
 * Reads within one request, batched and memoised (implemented with DataLoaders in loaders/). A
 * failed read rejects with the GatewayError the provider gave for that one key.
 */
export interface CertificateReader {
  certificate(ref: CertificateRef): Promise<Certificate>;
  sites(): Promise<Site[]>;
  site(siteId: string): Promise<Site>;
  siteCertificates(siteId: string): Promise<Certificate[]>;
  regionCertificates(regionId: string): Promise<Certificate[]>;
  /**
   * After a mutation: forget what was read about the changed certificate and the lists it is in, in
   * this request and in the shared cache, so later reads (here and on every instance) see the change.
   */
  changed(change: Change): Promise<void>;
}

export interface Change {
  ref?: CertificateRef;
  siteId?: string;
  regionId?: string;
}
