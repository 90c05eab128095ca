import { type DirectEsaClient } from './upstream';

/**
 * The page size the gateway asks each ESA list for: PAGE_SIZES in src/providers/esa/esa-provider.ts
 * (each list's documented largest page; the emulator serves them as src/emulator/README.md says).
 * Copied, not imported, because the gateway does not export them: a change there shows here as a
 * sweep whose calls differ from its pages.
 */
export const ESA_PAGE_SIZES = {
  ListSites: 500,
  ListCertificates: 500,
  ListClientCertificates: 500,
  ListSiteOriginClientCertificates: 1024,
} as const;

/** The three certificate lists the gateway reads for every site. */
export const SITE_LISTS = ['ListCertificates', 'ListClientCertificates', 'ListSiteOriginClientCertificates'] as const;

/** A list costs a call per page, and one call when it is empty or refused (its first page answers that). */
export function pagesOf(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** Every site of the account, read page by page as the gateway reads them. */
export async function listSiteIds(direct: DirectEsaClient): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const { ids: onPage, total } = await direct.listSites(page, ESA_PAGE_SIZES.ListSites);
    ids.push(...onPage);
    if (ids.length >= total || onPage.length === 0) return { ids, pages: pagesOf(total, ESA_PAGE_SIZES.ListSites) };
  }
}

/**
 * The pages of each site's three certificate lists, per action, from each list's TotalCount (read
 * with one-item pages, `parallel` at a time). A list the site's plan or state refuses counts as one.
 */
export async function siteListPages(direct: DirectEsaClient, siteIds: readonly string[], parallel = 1): Promise<Record<(typeof SITE_LISTS)[number], number>> {
  const pages = { ListCertificates: 0, ListClientCertificates: 0, ListSiteOriginClientCertificates: 0 };
  const work = siteIds.flatMap((siteId) => SITE_LISTS.map((action) => ({ siteId, action })));
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const { siteId, action } = work[next++] as (typeof work)[number];
      let total = 0;
      try {
        const body = await direct.listCertificates(siteId, action);
        total = typeof body.TotalCount === 'number' ? body.TotalCount : 0;
      } catch {
        total = 0;
      }
      pages[action] += pagesOf(total, ESA_PAGE_SIZES[action]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, work.length) }, worker));
  return pages;
}
