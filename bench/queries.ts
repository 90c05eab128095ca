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

/**
 * The batch lookup, `nodes(ids:)`. It asks for the PEM, which the inventory does not hold, so every
 * certificate is read from the cloud (batched, cached) whether or not a sweep has indexed it yet.
 */
export const CERTIFICATES_QUERY = 'query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id ... on Certificate { kind nativeId commonName fingerprintSha256 certificatePem } } }';

/** Every site's certificates: the sites from the cloud (ListSites), their certificates from the inventory (the first 100 of each). */
export const SITES_CERTIFICATES_QUERY = 'query AllSiteCertificates { sites { id certificates(first: 100) { nodes { id } } } }';

export function graphqlBody(query: string, variables: Record<string, unknown> = {}): string {
  return JSON.stringify({ query, variables });
}

/** One page of the inventory as a dashboard of expiring certificates asks for it (section 14). */
export const EXPIRING_PAGE_QUERY = `query Expiring($first: Int!, $days: Int!) {
  certificates(first: $first, filter: { expiringWithinDays: $days }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id provider kind siteId regionId name commonName status notAfter daysUntilExpiry } }
  }
}`;

export const INVENTORY_STATUS_QUERY = '{ inventoryStatus { certificates complete lastSweepFinishedAt sources { accountId name certificates error } } }';
