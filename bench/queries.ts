/**
 * The operations measured. `certificate` asks for every field a client shows for one certificate,
 * PEM included, so the cached answer is the realistic size (a few KB), not a token `{ id }`.
 */
const CERTIFICATE_FIELDS = `
  id provider kind nativeId siteId siteName regionId resourceGroupId name status type
  commonName subjectAlternativeNames issuer issuerCommonName serialNumber fingerprintSha256 fingerprintSha1
  signatureAlgorithm publicKeyAlgorithm notBefore notAfter validityDays daysUntilExpiry createdAt updatedAt
  casId caCertificateId certificatePem domainValidations { id type key value status } applyCode applyMessage
  isAliCloudCertificate aliCloudCertificateId aliCloudCertificateName`;

export const CERTIFICATE_QUERY = `query Certificate($id: ID!) { certificate(id: $id) { ${CERTIFICATE_FIELDS} } }`;

export const CERTIFICATES_QUERY = 'query Certificates($ids: [ID!]!) { certificates(ids: $ids) { id kind nativeId commonName fingerprintSha256 } }';

export const SITES_CERTIFICATES_QUERY = 'query AllSiteCertificates { sites { id certificates { id } } }';

export function graphqlBody(query: string, variables: Record<string, unknown> = {}): string {
  return JSON.stringify({ query, variables });
}
