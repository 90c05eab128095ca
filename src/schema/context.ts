import { type Access } from '../domain/access';
import { type CertificateService } from '../domain/certificate-service';
import { type RequestClock } from '../domain/request-clock';

/** What every resolver gets: the request's service (its reads batched per request), the caller's access, the clock. */
export interface GatewayContext {
  certificates: CertificateService;
  access: Access;
  clock: RequestClock;
}
