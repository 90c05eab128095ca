import { read, write, type ActionTable } from '../action';
import { certificateResult } from './edge-certificate-view';
import { deleteCertificate, findCertificates, requireCertificate, setCertificate } from './edge-certificates.model';
import { EsaErrors } from './esa-errors';
import { listBody, pageOf, paginate, requireId, requireSite } from './esa-params';
import { ESA_PAGING } from './esa-paging';
import { applyForCertificates, settleDueApplications } from './free-certificates.model';

/** ESA edge (site) certificates: uploaded, taken from CAS, or free ones applied for and issued here. */
export const edgeCertificateActions: ActionTable = {
  GetCertificate: read(async ({ params, account, env }) => {
    const site = requireSite(account, params);
    const id = requireId(params);
    await settleDueApplications(account, env, site.id, id);
    const record = requireCertificate(account, site, id);
    const result = certificateResult(record, env.clock.nowMs());
    return {
      SiteId: Number(site.id),
      SiteName: site.name,
      Status: result.Status,
      ...(record.certificate ? { Certificate: record.certificate.pem } : {}),
      Result: result,
    };
  }),

  ListCertificates: read(async ({ params, account, env }) => {
    const site = requireSite(account, params);
    const page = pageOf(params, ESA_PAGING.ListCertificates);
    const validOnly = params.optionalBoolean('ValidOnly', () => EsaErrors.invalidParameter('ValidOnly must be true or false.')) ?? false;
    await settleDueApplications(account, env, site.id);
    const nowMs = env.clock.nowMs();
    const found = findCertificates(account, site, { keyword: params.optional('Keyword'), validOnly, nowMs });
    return listBody(site, page, found.length, paginate(found, page).map((record) => certificateResult(record, nowMs)));
  }),

  SetCertificate: write(({ params, account, env }) => {
    const site = requireSite(account, params);
    const record = setCertificate(account, env, site, {
      type: params.optional('Type'),
      id: params.optional('Id'),
      name: params.optional('Name'),
      certificate: params.optional('Certificate'),
      privateKey: params.optional('PrivateKey'),
      casId: params.optional('CasId'),
      region: params.optional('Region'),
    });
    return { Id: record.id };
  }),

  DeleteCertificate: write(({ params, account }) => {
    const site = requireSite(account, params);
    const record = deleteCertificate(account, site, requireId(params));
    return { Id: record.id, SiteId: Number(site.id), SiteName: site.name };
  }),

  ApplyCertificate: write(({ params, account, env }) => {
    const site = requireSite(account, params, 'SiteNotFound');
    const records = applyForCertificates(account, env, site, { type: params.optional('Type'), domains: params.optional('Domains') });
    return {
      SiteName: site.name,
      TotalCount: records.length,
      Result: records.map((record) => ({ Domain: record.name, Status: 'Applying', Id: record.id })),
    };
  }),
};
