import { type DirectSlbClient } from './upstream';

/**
 * DescribeLoadBalancerListeners' page size as the gateway asks for it: LISTENER_PAGE_SIZE in
 * src/providers/slb/slb-provider.ts (the documented largest, "Valid values: 1 to 100"). Copied, not
 * imported, as ESA_PAGE_SIZES in esa-pages.ts is: a change there shows as a sweep whose calls differ
 * from its pages.
 */
export const LISTENER_PAGE_SIZE = 100;

export interface SlbPages {
  /** The account's regions, as DescribeRegions lists them. */
  regions: string[];
  /** HTTPS listeners over all those regions. */
  httpsListeners: number;
  /** Pages by action, keyed as the emulator counts calls (`SLB.<Action>`). */
  pagesByAction: Record<string, number>;
}

/**
 * The pages of the SLB lists one sweep reads for an account without SLB_REGIONS: DescribeRegions
 * once; per region DescribeServerCertificates (one call answers the whole region, it has no paging)
 * and DescribeLoadBalancerListeners (HTTPS only, pages of LISTENER_PAGE_SIZE, read to the last
 * NextToken; a region without listeners still costs its one empty page); and per HTTPS listener one
 * DescribeDomainExtensions (SLB lists a listener's extensions only that way, unpaged).
 */
export async function slbListPages(direct: DirectSlbClient): Promise<SlbPages> {
  const regions = await direct.describeRegions();
  let listenerPages = 0;
  let httpsListeners = 0;
  for (const regionId of regions) {
    let nextToken: string | undefined;
    do {
      const page = await direct.httpsListenerPage(regionId, LISTENER_PAGE_SIZE, nextToken);
      listenerPages += 1;
      httpsListeners += page.listeners;
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
  }
  return {
    regions,
    httpsListeners,
    pagesByAction: {
      'SLB.DescribeRegions': 1,
      'SLB.DescribeServerCertificates': regions.length,
      'SLB.DescribeLoadBalancerListeners': listenerPages,
      'SLB.DescribeDomainExtensions': httpsListeners,
    },
  };
}
