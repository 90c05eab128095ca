import { Arg, Ctx, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { checkFilter } from '../../inventory/filter-checks';
import { type CertificateEvent } from '../../radar/certificate-event';
import { toCertificateType } from '../certificate/certificate.mapper';
import { type GatewayContext } from '../context';
import { toFilter } from '../inventory/inventory.resolver';
import { CertificateFilter } from '../inventory/inventory.types';
import { CertificateEventType } from './certificate-event.type';
import { certificateOfEvent } from './event-certificate';
import { certificateEventStream } from './event-stream';

type SubscribeData = SubscribeResolverData<unknown, { filter?: CertificateFilter | null }, GatewayContext>;

@Resolver()
export class CertificateEventResolver {
  @Subscription(() => CertificateEventType, {
    description: "Certificate events from every instance, of the certificates the caller's key may see that match the filter.",
    subscribe: ({ args, context }: SubscribeData) =>
      certificateEventStream(context.events, { filter: checkFilter(toFilter(args.filter)), access: context.access, expiringDays: context.expiringDays }),
  })
  certificateEvents(
    @Root() event: CertificateEvent,
    @Ctx() ctx: GatewayContext,
    // Read by `subscribe`; declared here so the schema has it.
    @Arg('filter', () => CertificateFilter, { nullable: true }) _filter?: CertificateFilter,
  ): CertificateEventType {
    // Marked as read from the index: the PEM and domain validations are fetched only if asked for.
    const certificate = toCertificateType(certificateOfEvent(event.certificate), ctx, true);
    return { type: event.type, at: new Date(event.at), certificate, ...(event.threshold === undefined ? {} : { threshold: event.threshold }) };
  }
}
