import { isoSeconds } from '../../pki/time-format';
import { type SiteRecord } from '../../state/records';
import { read, type ActionTable } from '../action';
import { EsaErrors } from './esa-errors';
import { pageOf, paginate } from './esa-params';
import { ESA_PAGING } from './esa-paging';

const SEARCH_TYPES = ['exact', 'prefix', 'suffix', 'fuzzy'] as const;

export const siteActions: ActionTable = {
  ListSites: read(({ params, account }) => {
    const page = pageOf(params, ESA_PAGING.ListSites);
    const name = params.optional('SiteName')?.toLowerCase();
    const searchType = params.optional('SiteSearchType') ?? 'exact';
    if (!(SEARCH_TYPES as readonly string[]).includes(searchType)) throw EsaErrors.invalidParameter('SiteSearchType');
    const status = params.optional('Status');
    const accessType = params.optional('AccessType');
    const sites = [...account.sites.values()].filter(
      (site) =>
        (name === undefined || nameMatches(site.name, name, searchType)) &&
        (status === undefined || site.status === status) &&
        (accessType === undefined || site.accessType === accessType),
    );
    return {
      PageNumber: page.pageNumber,
      PageSize: page.pageSize,
      TotalCount: sites.length,
      Sites: paginate(sites, page).map(siteModel),
    };
  }),

  GetSite: read(({ params, account }) => {
    const siteId = params.optionalInteger('SiteId', EsaErrors.siteNotFound);
    if (siteId === undefined) throw EsaErrors.missingSiteId();
    const site = account.sites.get(String(siteId));
    if (!site) throw EsaErrors.siteNotFound();
    return { SiteModel: siteModel(site) };
  }),
};

function nameMatches(siteName: string, wanted: string, searchType: string): boolean {
  switch (searchType) {
    case 'prefix':
      return siteName.startsWith(wanted);
    case 'suffix':
      return siteName.endsWith(wanted);
    case 'fuzzy':
      return siteName.includes(wanted);
    default:
      return siteName === wanted;
  }
}

/** The site as ListSites' `Sites[]` and GetSite's `SiteModel` show it. */
function siteModel(site: SiteRecord): Record<string, unknown> {
  return {
    SiteId: Number(site.id),
    SiteName: site.name,
    Status: site.status,
    AccessType: site.accessType,
    Coverage: site.coverage,
    CnameZone: site.accessType === 'CNAME' ? `${site.name}.cname.esa-emulator.test` : '',
    NameServerList: site.accessType === 'NS' ? 'male1-1.ialicdn.com,female1-1.ialicdn.com' : '',
    InstanceId: site.instanceId,
    PlanName: site.plan.name,
    PlanSpecName: site.plan.specName,
    ResourceGroupId: site.resourceGroupId,
    VerifyCode: `verify_${site.id.padStart(32, '0').slice(-32)}`,
    CreateTime: isoSeconds(new Date(site.createdAt)),
    UpdateTime: isoSeconds(new Date(site.updatedAt)),
  };
}
