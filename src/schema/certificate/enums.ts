import { registerEnumType } from 'type-graphql';

export enum CertificateProvider {
  ESA = 'ESA',
  SLB = 'SLB',
}

export enum CertificateKind {
  EDGE = 'EDGE',
  ORIGIN_CLIENT = 'ORIGIN_CLIENT',
  CLIENT = 'CLIENT',
  SERVER = 'SERVER',
}

export enum CertificateStatus {
  PENDING = 'PENDING',
  ISSUED = 'ISSUED',
  EXPIRING = 'EXPIRING',
  EXPIRED = 'EXPIRED',
  NOT_YET_VALID = 'NOT_YET_VALID',
  REVOKED = 'REVOKED',
  FAILED = 'FAILED',
  CANCELED = 'CANCELED',
}

export enum KeyAlgorithm {
  RSA = 'RSA',
  ECDSA = 'ECDSA',
}

export enum FreeCertificateType {
  LETS_ENCRYPT = 'lets_encrypt',
  DIGICERT_SINGLE = 'digicert_single',
  DIGICERT_WILDCARD = 'digicert_wildcard',
}

registerEnumType(CertificateProvider, { name: 'CertificateProvider', description: 'The cloud API that holds the certificate.' });
registerEnumType(CertificateKind, {
  name: 'CertificateKind',
  description: 'EDGE: ESA site certificate; ORIGIN_CLIENT: ESA origin mTLS; CLIENT: issued by the ESA CA; SERVER: SLB server certificate.',
});
registerEnumType(CertificateStatus, {
  name: 'CertificateStatus',
  description: 'Normalised from the cloud\'s status and the dates: past notAfter is EXPIRED whatever the cloud says; EXPIRING within EXPIRING_DAYS.',
});
registerEnumType(KeyAlgorithm, { name: 'KeyAlgorithm', description: 'Key pair ESA generates for a client certificate: RSA 2048 or ECDSA P-256.' });
registerEnumType(FreeCertificateType, { name: 'FreeCertificateType', description: 'Free certificate type for ApplyCertificate.' });
