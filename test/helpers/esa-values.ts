import { opensslFacts } from './openssl';

/** openssl's signature algorithm names, as ESA (Go's crypto/x509) names them. */
const ESA_SIGNATURE_NAMES: Record<string, string> = { sha256WithRSAEncryption: 'SHA256-RSA', 'ecdsa-with-SHA256': 'ECDSA-SHA256' };

/** Every certificate value ESA reports in a `Result`, checked against what openssl reads from the same PEM. */
export function expectEsaValuesOf(result: Record<string, unknown>, pem: string): void {
  const reference = opensslFacts(pem);
  expect(result).toMatchObject({
    CommonName: reference.commonName,
    SAN: reference.dnsNames.join(','),
    Issuer: reference.issuerOrganization ?? reference.issuerCommonName,
    IssuerCN: reference.issuerCommonName,
    SerialNumber: reference.serialNumber,
    FingerprintSha256: reference.fingerprintSha256,
    NotBefore: reference.notBefore,
    NotAfter: reference.notAfter,
    SigAlg: ESA_SIGNATURE_NAMES[reference.signatureAlgorithm],
  });
}
