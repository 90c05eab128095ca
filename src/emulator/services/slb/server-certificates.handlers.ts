import { isoSeconds } from '../../pki/time-format';
import { type ServerCertificateRecord } from '../../state/records';
import { read, write, type ActionTable } from '../action';
import {
  deleteServerCertificate,
  listServerCertificates,
  renameServerCertificate,
  uploadServerCertificate,
} from './server-certificates.model';
import { SlbErrors } from './slb-errors';
import {
  certificateSourceOf,
  optionalRegionIdOf,
  regionIdOf,
  resourceGroupIdOf,
  serverCertificateIdOf,
  serverCertificateNameOf,
} from './slb-params';

/** SLB 2014-05-15 server certificates (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-uploadservercertificate and its sibling pages). */
export const serverCertificateActions: ActionTable = {
  UploadServerCertificate: write(({ params, account, env }) => {
    const record = uploadServerCertificate(
      account,
      {
        regionId: regionIdOf(params),
        name: serverCertificateNameOf(params, 'upload'),
        resourceGroupId: resourceGroupIdOf(params),
        source: certificateSourceOf(params),
      },
      env.clock.nowMs(),
    );
    return certificateView(record);
  }),

  DescribeServerCertificates: read(({ params, account }) => {
    const records = listServerCertificates(account, regionIdOf(params), {
      serverCertificateId: params.optional('ServerCertificateId')?.trim(),
      resourceGroupId: resourceGroupIdOf(params),
    });
    // Tags are always empty: certificates here carry none.
    const items = records.map((record) => ({ ...certificateView(record), Tags: { Tag: [] } }));
    return { ServerCertificates: { ServerCertificate: items } };
  }),

  DeleteServerCertificate: write(({ params, account }) => {
    const regionId = optionalRegionIdOf(params);
    deleteServerCertificate(account, serverCertificateIdOf(params), regionId);
    return {};
  }),

  SetServerCertificateName: write(({ params, account }) => {
    const regionId = regionIdOf(params);
    const id = serverCertificateIdOf(params);
    const name = serverCertificateNameOf(params, 'rename');
    if (name === undefined) throw SlbErrors.missingParameter('ServerCertificateName');
    renameServerCertificate(account, regionId, id, name);
    return {};
  }),
};

/**
 * A certificate as UploadServerCertificate answers it and DescribeServerCertificates lists it: the
 * metadata read from the certificate, never its PEM. Lists nest as `{SubjectAlternativeNames:
 * {SubjectAlternativeName: [...]}}`, timestamps are milliseconds of whole seconds beside the ISO
 * times (the doc's `2017-08-31T02:49:05Z` / `1504147745000`), and `RegionIdAlias` repeats the region
 * as the doc's JSON example does although the SDK models leave it out.
 */
function certificateView(record: ServerCertificateRecord): Record<string, unknown> {
  const facts = record.certificate.facts;
  const created = new Date(Math.floor(record.createdAt / 1000) * 1000);
  return {
    ServerCertificateId: record.id,
    ServerCertificateName: record.name,
    Fingerprint: facts.fingerprintSha1,
    CommonName: facts.commonName,
    SubjectAlternativeNames: { SubjectAlternativeName: facts.subjectAlternativeNames },
    CreateTime: isoSeconds(created),
    CreateTimeStamp: created.getTime(),
    ExpireTime: facts.notAfter,
    ExpireTimeStamp: Date.parse(facts.notAfter),
    // 1 = from Alibaba Cloud Certificate Management Service (current docs; an old English page inverts it).
    IsAliCloudCertificate: record.aliCloudCertificateId === undefined ? 0 : 1,
    AliCloudCertificateId: record.aliCloudCertificateId ?? '',
    AliCloudCertificateName: record.aliCloudCertificateName ?? '',
    RegionId: record.regionId,
    RegionIdAlias: record.regionId,
    ResourceGroupId: record.resourceGroupId,
  };
}
