import { type Access } from '../domain/access';
import { type CertificateService } from '../domain/certificate-service';
import { type DeployService } from '../domain/deploy-service';
import { type SiteMaintenance } from '../domain/site-maintenance';
import { type RequestClock } from '../domain/request-clock';
import { type InventoryReader } from '../inventory/inventory-service';
import { type EventBus } from '../radar/event-bus';

/** What every resolver gets: the request's service (its reads batched per request), the caller's access, the clock. */
export interface GatewayContext {
  certificates: CertificateService;
  /** One certificate onto many targets. */
  deploy: DeployService;
  /** Site quotas and their cleaning. */
  maintenance: SiteMaintenance;
  access: Access;
  clock: RequestClock;
  /** The shared index of every certificate, as this caller may see it. */
  inventory: InventoryReader;
  /** Days left under which a certificate is EXPIRING. */
  expiringDays: number;
  /** Certificate events as every instance hears them (what `certificateEvents` subscribes to). */
  events: Pick<EventBus, 'subscribe'>;
}
