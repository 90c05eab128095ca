import { type ClientCertificateRecord } from '../../state/records';
import { leafOf } from '../stored-certificate';
import { read, write, type ActionTable } from '../action';
import { issuedFields, resultFields, siteReference } from './client-certificate-fields';
import {
  activateClientCertificate,
  createClientCertificate,
  deleteClientCertificate,
  findClientCertificate,
  listClientCertificates,
  revokeClientCertificate,
} from './client-certificates.model';
import { EsaErrors } from './esa-errors';
import { listBody, pageOf, paginate, requireId, requireSite } from './esa-params';
import { ESA_PAGING } from './esa-paging';

/** Client certificates issued by the account's ESA-managed CA (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-createclientcertificate). */
export const clientCertificateActions: ActionTable = {
  CreateClientCertificate: write(async ({ params, account, env }) => {
    const site = requireSite(account, params);
    const invalidDays = () => EsaErrors.invalidParameter('ValidityDays must be a whole number of days.');
    const { record, privateKeyPem } = await createClientCertificate(
      account,
      site,
      {
        validityDays: params.optionalInteger('ValidityDays', invalidDays),
        csrPem: params.optional('CSR'),
        keyType: params.optional('PkeyType'),
      },
      env.clock.now(),
    );
    return {
      Id: record.id,
      Status: record.status,
      Certificate: leafOf(record.certificate),
      ...(privateKeyPem === undefined ? {} : { PrivateKey: privateKeyPem }),
      ...issuedFields(record.certificate),
      CACertificateId: record.caCertificateId,
    };
  }),

  GetClientCertificate: read(({ params, account }) => {
    const site = requireSite(account, params);
    const record = findClientCertificate(account, site, requireId(params));
    return {
      SiteId: Number(site.id),
      SiteName: site.name,
      Status: record.status,
      Certificate: leafOf(record.certificate),
      Result: clientResult(record),
    };
  }),

  ListClientCertificates: read(({ params, account }) => {
    const site = requireSite(account, params);
    const page = pageOf(params, ESA_PAGING.ListClientCertificates);
    const records = listClientCertificates(account, site);
    return listBody(site, page, records.length, paginate(records, page).map(clientResult));
  }),

  RevokeClientCertificate: write(({ params, account, env }) => {
    const site = requireSite(account, params);
    return siteReference(site, revokeClientCertificate(account, site, requireId(params), env.clock.now()).id);
  }),

  ActivateClientCertificate: write(({ params, account, env }) => {
    const site = requireSite(account, params);
    return siteReference(site, activateClientCertificate(account, site, requireId(params), env.clock.now()).id);
  }),

  DeleteClientCertificate: write(({ params, account }) => {
    const site = requireSite(account, params);
    return siteReference(site, deleteClientCertificate(account, site, requireId(params)).id);
  }),
};

function clientResult(record: ClientCertificateRecord): Record<string, unknown> {
  return { ...resultFields({ ...record, type: 'dcdn' }), CACertificateId: record.caCertificateId };
}
