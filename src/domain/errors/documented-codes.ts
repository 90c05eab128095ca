/**
 * The codes each source documents. ESA's come from the error tables of its operation pages (for
 * example https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-getcertificate;
 * test/unit/gateway/error-catalogue.test.ts checks this list against those tables); SLB's and the
 * common gateway codes from SLB's common error codes page
 * (https://github.com/AlibabaCloudDocs/slb/blob/master/intl.en-US/Classic%20Load%20Balancer/CLB%20Developer%20Guide/Developer%20Guide/Common%20error%20codes.md).
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
  'InvalidLoadBalancerId.NotFound',
  'ListenerNotFound',
  'InvalidParameter.DomainExtensionId',
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

/**
 * STS 2015-04-01 (AssumeRole, for accounts reached through a RAM role), from its error code page
 * (https://help.aliyun.com/zh/ram/developer-reference/api-sts-2015-04-01-errorcodes) and its common
 * errors page (https://www.alibabacloud.com/help/doc-detail/42775.htm).
 */
export const STS_CODES = [
  'EntityNotExist.Role',
  'NoPermission',
  'AuthenticationFail.NoPermission',
  'InvalidParameter.RoleArn',
  'InvalidParameter.RoleSessionName',
  'InvalidParameter.DurationSeconds',
  'InvalidParameter.PolicyGrammar',
  'MissingSecurityToken',
] as const;

/** Raised by the gateway itself, where no documented code fits. */
export const GATEWAY_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_UNREACHABLE',
  'UPSTREAM_UNAVAILABLE',
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
  | (typeof STS_CODES)[number]
  | (typeof GATEWAY_CODES)[number];
