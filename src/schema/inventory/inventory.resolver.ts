import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { type InventoryFilter, type InventoryOrder } from '../../inventory/inventory-query';
import { type CertificatePage } from '../../inventory/inventory-service';
import { toCertificateType } from '../certificate/certificate.mapper';
import { parseSource } from '../../inventory/sources';
import { toAccountType } from '../account/account.resolver';
import { type GatewayContext } from '../context';
import { NodeInterface } from '../node/node.interface';
import { CertificateConnection, CertificateFilter, CertificateOrder, InventoryStatus } from './inventory.types';

/** A page of the inventory as a Relay connection. */
export function toConnection(page: CertificatePage, ctx: GatewayContext): CertificateConnection {
  const edges = page.edges.map((edge) => ({ cursor: edge.cursor, node: toCertificateType(edge.certificate, ctx, true, edge.id) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      ...(edges.length ? { startCursor: edges[0]?.cursor, endCursor: edges[edges.length - 1]?.cursor } : {}),
    },
    totalCount: page.totalCount,
  };
}

/** GraphQL's input, as the inventory takes it (nulls are absent). */
export function toFilter(filter: CertificateFilter | null | undefined): InventoryFilter {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(filter ?? {})) if (value !== null && value !== undefined) out[name] = value;
  return out as InventoryFilter;
}

@Resolver()
export class InventoryResolver {
  @Query(() => CertificateConnection, { description: 'Every certificate of every site and region, from the shared index (no cloud call).' })
  async certificates(
    @Ctx() ctx: GatewayContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('last', () => Int, { nullable: true }) last?: number,
    @Arg('before', () => String, { nullable: true }) before?: string,
    @Arg('filter', () => CertificateFilter, { nullable: true }) filter?: CertificateFilter,
    @Arg('orderBy', () => CertificateOrder, { nullable: true }) orderBy?: CertificateOrder,
  ): Promise<CertificateConnection> {
    const page = { ...(first == null ? {} : { first }), ...(after == null ? {} : { after }), ...(last == null ? {} : { last }), ...(before == null ? {} : { before }) };
    return toConnection(await ctx.inventory.certificates(page, toFilter(filter), (orderBy ?? undefined) as InventoryOrder | undefined), ctx);
  }

  @Query(() => InventoryStatus)
  async inventoryStatus(@Ctx() ctx: GatewayContext): Promise<InventoryStatus> {
    const [status, accounts] = await Promise.all([ctx.inventory.status(), ctx.inventory.accounts()]);
    return {
      ...status,
      sources: status.sources.map((source) => {
        const { accountId, label } = parseSource(source.name);
        return { ...source, name: label, accountId, ...(source.lastSuccessAt ? { lastSuccessAt: new Date(source.lastSuccessAt) } : {}) };
      }) as InventoryStatus['sources'],
      accounts: accounts.map(toAccountType),
    };
  }

  @Query(() => NodeInterface, { nullable: true, description: 'A certificate or a site by its id.' })
  node(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<NodeInterface> {
    return nodeOf(id, ctx);
  }

  @Query(() => [NodeInterface], { nullable: 'items', description: 'One entry per id, in order; a null carries its error by path. Certificates the inventory holds answer from it.' })
  nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: GatewayContext): Array<Promise<NodeInterface>> {
    return ids.map((id) => nodeOf(id, ctx));
  }
}

/** A certificate (from the inventory when it holds it, else through the loaders), an account or a site, by id. */
export async function nodeOf(id: string, ctx: GatewayContext): Promise<NodeInterface> {
  if (!id.startsWith('crt_')) {
    const account = (await ctx.inventory.accounts()).find((candidate) => candidate.id === id);
    if (account) return toAccountType(account);
  }
  // Site ids are the cloud's (digits); anything else is read as a certificate id, and refused as one when it is not.
  if (/^\d+$/.test(id)) return ctx.certificates.site(id);
  const indexed = await ctx.inventory.entry(id);
  if (indexed) return toCertificateType(indexed.certificate, ctx, true);
  return toCertificateType(await ctx.certificates.certificate(id), ctx);
}
