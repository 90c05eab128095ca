import { X509Certificate } from 'node:crypto';
import { type CertificateFieldsFragment } from '../generated/graphql';
import { ESA_SIGNATURE_ALGORITHMS, wholeDays } from './answers';
import { opensslFacts } from './openssl';

/** The X.509 values the gateway reports for a certificate, normalised for comparison. */
export interface X509Values {
  commonName: string | null;
  subjectAlternativeNames: string[];
  issuer: string | null;
  issuerCommonName: string | null;
  serialNumber: string | null;
  fingerprintSha256: string | null;
  fingerprintSha1: string | null;
  signatureAlgorithm: string | null;
  publicKeyAlgorithm: string | null;
  notBefore: string | null;
  notAfter: string | null;
  validityDays: number | null;
}

type Reported = Pick<CertificateFieldsFragment, keyof X509Values>;

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());

export function reportedValues(certificate: Reported): X509Values {
  return {
    commonName: certificate.commonName,
    subjectAlternativeNames: [...certificate.subjectAlternativeNames].sort(),
    issuer: certificate.issuer,
    issuerCommonName: certificate.issuerCommonName,
    serialNumber: certificate.serialNumber,
    fingerprintSha256: certificate.fingerprintSha256,
    fingerprintSha1: certificate.fingerprintSha1,
    signatureAlgorithm: certificate.signatureAlgorithm,
    publicKeyAlgorithm: certificate.publicKeyAlgorithm,
    notBefore: iso(certificate.notBefore),
    notAfter: iso(certificate.notAfter),
    validityDays: certificate.validityDays,
  };
}

/**
 * The same values as openssl reads them from the PEM (the leaf, when it is a chain). ESA's `Issuer`
 * is the issuer's organisation, or its CN without one; the key algorithm is read by Node's crypto.
 */
export function opensslValues(pem: string): X509Values {
  const facts = opensslFacts(pem);
  const keyType = new X509Certificate(pem).publicKey.asymmetricKeyType;
  return {
    commonName: facts.commonName,
    subjectAlternativeNames: [...facts.dnsNames].sort(),
    issuer: facts.issuerOrganization ?? facts.issuerCommonName,
    issuerCommonName: facts.issuerCommonName,
    serialNumber: facts.serialNumber,
    fingerprintSha256: facts.fingerprintSha256,
    fingerprintSha1: facts.fingerprintSha1,
    signatureAlgorithm: ESA_SIGNATURE_ALGORITHMS[facts.signatureAlgorithm] ?? facts.signatureAlgorithm,
    publicKeyAlgorithm: keyType === 'ec' ? 'ECDSA' : (keyType ?? '').toUpperCase(),
    notBefore: new Date(facts.notBefore).toISOString(),
    notAfter: new Date(facts.notAfter).toISOString(),
    validityDays: wholeDays(facts.notBefore, facts.notAfter),
  };
}

/** What SLB reports of a certificate (it returns no PEM): compared with the PEM that was uploaded. */
export function slbValues(certificate: Reported): Pick<X509Values, 'commonName' | 'subjectAlternativeNames' | 'fingerprintSha1' | 'notAfter'> {
  const { commonName, subjectAlternativeNames, fingerprintSha1, notAfter } = reportedValues(certificate);
  return { commonName, subjectAlternativeNames, fingerprintSha1, notAfter };
}

export function slbValuesOf(pem: string): ReturnType<typeof slbValues> {
  const { commonName, subjectAlternativeNames, fingerprintSha1, notAfter } = opensslValues(pem);
  return { commonName, subjectAlternativeNames, fingerprintSha1, notAfter };
}
