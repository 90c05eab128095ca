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
  /** After a mutation: forget what this request read, so later fields see the change. */
  forget(ref?: CertificateRef): void;
}
