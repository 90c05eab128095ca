import { type CertificateService } from '../domain/certificate-service';

/** What every resolver gets: the request's service (its reads batched per request) and its clock. */
export interface GatewayContext {
  certificates: CertificateService;
  now: Date;
}
