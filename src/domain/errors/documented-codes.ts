/**
 * The codes each source documents. ESA's come from the error tables of its operation pages
 * (shared/api-docs 000-004; test/unit/gateway/error-catalogue.test.ts reads those tables and checks
 * this list against them); SLB's and the common gateway codes from REFERENCE.md 5.2 and 5.3.
 */
export const ESA_CODES = [
  'Certificate.NotFound',
  'Certificate.StatusError',
  'CertificateNotMatchPrivateKey',
  'Id.MissingParameter',
  'InternalException',
  'InvalidParameter',
  'InvalidParameter.Domains',
  'InvalidParameter.SiteId',
  'InvalidParameter.Type',
  'MissingSiteId',
  'QuotaCheckFailed',
  'QuotaCheckFailed.Function',
  'QuotaExceed.RecordCount',
  'QuotaExceeded',
  'SiteNotActivated',
  'SiteNotFound',
  'Unauthorized.InvalidTime',
  'Unauthorized.InvalidToken',
] as const;

export const SLB_CODES = [
  'CertificateAndPrivateKeyIsRefered',
  'CertificateNotMatchPrivateKey',
  'Forbidden',
  'InvalidParameter',
  'InvalidParameterLength',
  'InvalidRegionId.NotFound',
  'KeyFormatError',
  'OperationBusy',
  'PrivateKeyEncryption',
  'ProcessingSameRequest',
  'ServiceIsConfiguring',
  'SystemBusy',
  'TagCountLimit',
] as const;

export const COMMON_CODES = [
  'Forbidden.AccessKeyDisabled',
  'Forbidden.RAM',
  'IllegalTimestamp',
  'IncompleteSignature',
  'InternalError',
  'InvalidAccessKeyId.Inactive',
  'InvalidAccessKeyId.NotFound',
  'InvalidAction.NotFound',
  'InvalidParameter',
  'InvalidProduct.NotFound',
  'InvalidSecurityToken.Expired',
  'InvalidSecurityToken.Malformed',
  'InvalidSecurityToken.MismatchWithAccessKey',
  'InvalidTimeStamp.Expired',
  'InvalidVersion',
  'MissingParameter',
  'ServiceUnavailable',
  'ServiceUnavailableTemporary',
  'SignatureDoesNotMatch',
  'SignatureNonceUsed',
  'Throttling',
  'Throttling.Api',
  'Throttling.User',
  'UnsupportedHTTPMethod',
] as const;

/** Raised by the gateway itself, where no documented code fits. */
export const GATEWAY_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_UNREACHABLE',
  'INTERNAL_SERVER_ERROR',
  // HTTP-level refusals, with the codes Apollo Server and Node give the same situations.
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
  'METHOD_NOT_ALLOWED',
  'NOT_FOUND',
  'REQUEST_TIMEOUT',
  'PAYLOAD_TOO_LARGE',
  'REQUEST_HEADER_FIELDS_TOO_LARGE',
] as const;

export type ErrorCode =
  | (typeof ESA_CODES)[number]
  | (typeof SLB_CODES)[number]
  | (typeof COMMON_CODES)[number]
  | (typeof GATEWAY_CODES)[number];
