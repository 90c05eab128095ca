import { type PageRule } from './esa-params';

/**
 * The page sizes of ESA's list operations. What each reference page says, and what fills its gaps:
 *
 * - ListSites (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-listsites):
 *   PageNumber "Default value: 1", PageSize "Default value: 500"; sites sort by creation time unless
 *   OrderBy says otherwise. No maximum is given; the default is taken as the maximum too.
 * - ListCertificates (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-listcertificates)
 *   and ListClientCertificates (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-listclientcertificates):
 *   PageNumber and PageSize with no default or range; their answers' examples show PageSize 20.
 *   The sibling ListOriginCaCertificates (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-listorigincacertificates)
 *   documents "Default value: 20. Valid values: 1 to 500", which is used for both.
 * - ListSiteOriginClientCertificates (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-listsiteoriginclientcertificates):
 *   PageNumber "The default value is 1", PageSize without default or range, but its answer's example
 *   reports PageSize 1024, so pages of 1024 are served; the default is the siblings' 20.
 *
 * No page documents an error code for a size out of range, so a larger PageSize is served at the
 * maximum (esa-params.ts `pageOf`) rather than refused.
 */
export const ESA_PAGING = {
  ListSites: { defaultSize: 500, maxSize: 500 },
  ListCertificates: { defaultSize: 20, maxSize: 500 },
  ListClientCertificates: { defaultSize: 20, maxSize: 500 },
  ListSiteOriginClientCertificates: { defaultSize: 20, maxSize: 1024 },
} as const satisfies Record<string, PageRule>;
