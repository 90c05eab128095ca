import { type OriginClientCertificateRecord } from '../../state/records';
import { read, write, type ActionTable } from '../action';
import { issuedFields, resultFields, siteReference } from './client-certificate-fields';
import { listBody, pageOf, paginate, requireId, requireSite } from './esa-params';
import { ESA_PAGING } from './esa-paging';
import {
  deleteOriginClientCertificate,
  findOriginClientCertificate,
  listOriginClientCertificates,
  originClientCertificateStatus,
  uploadOriginClientCertificate,
} from './origin-client-certificates.model';

/** Certificates ESA presents to a site's origin in mutual TLS (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-uploadsiteoriginclientcertificate). */
export const originClientCertificateActions: ActionTable = {
  UploadSiteOriginClientCertificate: write(({ params, account, env }) => {
    const site = requireSite(account, params);
    const now = env.clock.now();
    const record = uploadOriginClientCertificate(
      account,
      site,
      { certificatePem: params.optional('Certificate'), privateKeyPem: params.optional('PrivateKey'), name: params.optional('Name') },
      now,
    );
    return { Id: record.id, Status: originClientCertificateStatus(record, now), ...issuedFields(record.certificate) };
  }),

  GetSiteOriginClientCertificate: read(({ params, account, env }) => {
    const site = requireSite(account, params);
    const record = findOriginClientCertificate(account, site, requireId(params));
    const result = originResult(record, env.clock.now());
    return { SiteId: Number(site.id), SiteName: site.name, Status: result.Status, Certificate: record.certificate.pem, Result: result };
  }),

  ListSiteOriginClientCertificates: read(({ params, account, env }) => {
    const site = requireSite(account, params);
    const page = pageOf(params, ESA_PAGING.ListSiteOriginClientCertificates);
    const now = env.clock.now();
    const records = listOriginClientCertificates(account, site);
    return listBody(site, page, records.length, paginate(records, page).map((record) => originResult(record, now)));
  }),

  DeleteSiteOriginClientCertificate: write(({ params, account }) => {
    const site = requireSite(account, params);
    return siteReference(site, deleteOriginClientCertificate(account, site, requireId(params)).id);
  }),
};

function originResult(record: OriginClientCertificateRecord, now: Date): Record<string, unknown> {
  return resultFields({ ...record, type: 'upload', status: originClientCertificateStatus(record, now) });
}
