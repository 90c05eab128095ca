import { esaDateTime } from '../../pki/time-format';
import { type EdgeCertificateRecord } from '../../state/records';
import { certificateStatus } from './edge-certificates.model';

/**
 * A certificate as GetCertificate's `Result` and ListCertificates' `Result[]` show it, fields in the
 * documented order (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-getcertificate,
 * https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-listcertificates). Every X.509 value comes from the stored facts, so a
 * certificate still applying, which has none, shows none; only free certificates carry `DCV`.
 */
export function certificateResult(record: EdgeCertificateRecord, nowMs: number): Record<string, unknown> {
  const facts = record.certificate?.facts;
  const application = record.application;
  return {
    ...(record.casId === undefined ? {} : { CasId: record.casId }),
    Id: record.id,
    Name: record.name,
    Region: record.region,
    Status: certificateStatus(record, nowMs),
    Type: record.type,
    ...(facts
      ? {
          CommonName: facts.commonName,
          NotBefore: facts.notBefore,
          NotAfter: facts.notAfter,
          Issuer: facts.issuer,
          IssuerCN: facts.issuerCommonName,
          SAN: facts.subjectAlternativeNames.join(','),
          SigAlg: facts.signatureAlgorithm,
          PubAlg: facts.publicKeyAlgorithm,
        }
      : {}),
    CreateTime: esaDateTime(new Date(record.createdAt)),
    UpdateTime: esaDateTime(new Date(record.updatedAt)),
    ...(facts ? { SerialNumber: facts.serialNumber, FingerprintSha256: facts.fingerprintSha256 } : {}),
    ...(application
      ? { DCV: application.dcv.map((dcv) => ({ Id: dcv.id, Type: dcv.type, Key: dcv.key, Value: dcv.value, Status: dcv.status })) }
      : {}),
    ...(application?.applyCode === undefined ? {} : { ApplyCode: application.applyCode, ApplyMessage: application.applyMessage ?? '' }),
  };
}
