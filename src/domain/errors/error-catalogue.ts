/**
 * Every error code a caller can see, each with its category, the HTTP status the upstream answers
 * with (or would), and whether trying again may help. The codes are the documented ones: ESA's
 * per-operation tables, SLB's certificate codes and the POP gateway's common codes, plus the
 * gateway's own (documented-codes.ts lists them and names the pages).
 * Typed `Record<ErrorCode, ErrorSpec>`: the compiler refuses a documented code without an entry.
 */
import { type ErrorCode } from './documented-codes';

export { type ErrorCode } from './documented-codes';

export type ErrorCategory =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'QUOTA_EXCEEDED'
  | 'THROTTLED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export type ErrorSource = 'ESA' | 'SLB' | 'STS' | 'COMMON' | 'GATEWAY';

export interface ErrorSpec {
  category: ErrorCategory;
  httpStatus: number;
  retryable: boolean;
  /** Who documents the code. */
  source: ErrorSource;
  /** The documented message, used when the gateway raises the code itself. */
  message: string;
}

const spec = (source: ErrorSource, category: ErrorCategory, httpStatus: number, message: string, retryable = false): ErrorSpec => ({
  source,
  category,
  httpStatus,
  retryable,
  message,
});

export const ERROR_CATALOGUE: Readonly<Record<ErrorCode, ErrorSpec>> = {
  // ESA, from its operation pages.
  'Certificate.NotFound': spec('ESA', 'NOT_FOUND', 404, 'The specified certificate does not exist.'),
  'Certificate.StatusError': spec('ESA', 'BAD_USER_INPUT', 400, 'The status of the certificate is invalid.'),
  CertificateNotMatchPrivateKey: spec('ESA', 'BAD_USER_INPUT', 400, 'The specified certificate does not match the private key.'),
  'Id.MissingParameter': spec('ESA', 'BAD_USER_INPUT', 400, 'The parameter Id is required.'),
  InternalException: spec('ESA', 'UPSTREAM_UNAVAILABLE', 400, 'Failed to call the service. Try again later or contact technical support.', true),
  'InvalidParameter.Domains': spec('ESA', 'BAD_USER_INPUT', 400, 'The domain specified in Domains parameter is not a valid domain name, please check and try again.'),
  'InvalidParameter.SiteId': spec('ESA', 'BAD_USER_INPUT', 400, 'Failed to query the website based on the SiteID you specified. Check parameter SiteId and try again.'),
  'InvalidParameter.Type': spec('ESA', 'BAD_USER_INPUT', 400, 'The specified Type parameter is invalid, please check and try again.'),
  MissingSiteId: spec('ESA', 'BAD_USER_INPUT', 400, 'Required parameter SiteId missing. Specify SiteId and try again.'),
  QuotaCheckFailed: spec('ESA', 'UPSTREAM_UNAVAILABLE', 400, 'Failed to check free certificate Quota, please try again later.', true),
  'QuotaCheckFailed.Function': spec('ESA', 'QUOTA_EXCEEDED', 400, 'The feature is unavailable in your plan. Upgrade the plan or contact your account manager to request the feature.'),
  'QuotaExceed.RecordCount': spec('ESA', 'QUOTA_EXCEEDED', 400, 'The maximum number of records has been reached. Delete some and try again or upgrade your plan.'),
  QuotaExceeded: spec('ESA', 'QUOTA_EXCEEDED', 403, 'The quota is exceeded.'),
  SiteNotActivated: spec('ESA', 'BAD_USER_INPUT', 400, 'The site is not activated, the process is not allowed.'),
  SiteNotFound: spec('ESA', 'NOT_FOUND', 400, 'The specified site is not found.'),
  'Unauthorized.InvalidTime': spec('ESA', 'UNAUTHENTICATED', 403, 'The specified authentication time is invalid.'),
  'Unauthorized.InvalidToken': spec('ESA', 'UNAUTHENTICATED', 403, 'Token authentication failed.'),

  // SLB certificate codes.
  CertificateAndPrivateKeyIsRefered: spec('SLB', 'BAD_USER_INPUT', 400, 'Certificate and PrivateKey Is Refered.'),
  Forbidden: spec('SLB', 'FORBIDDEN', 403, 'User not authorized to operate on the specified resource.'),
  'InvalidRegionId.NotFound': spec('SLB', 'NOT_FOUND', 404, 'The specified RegionId does not exist.'),
  'InvalidLoadBalancerId.NotFound': spec('SLB', 'NOT_FOUND', 404, 'The specified LoadBalancerId does not exist.'),
  ListenerNotFound: spec('SLB', 'NOT_FOUND', 404, 'The specified listener does not exist.'),
  'InvalidParameter.DomainExtensionId': spec('SLB', 'BAD_USER_INPUT', 400, 'The specified DomainExtensionId does not exist.'),
  InvalidParameterLength: spec('SLB', 'BAD_USER_INPUT', 400, 'The specified parameter length is not valid.'),
  KeyFormatError: spec('SLB', 'BAD_USER_INPUT', 400, 'The specified ServerCertificate is incorrectly formatted.'),
  OperationBusy: spec('SLB', 'THROTTLED', 400, 'A previous operation is pending.', true),
  PrivateKeyEncryption: spec('SLB', 'BAD_USER_INPUT', 400, 'Key has Encrypted .'),
  ProcessingSameRequest: spec('SLB', 'THROTTLED', 400, 'The same request is being processed. Please try later.', true),
  ServiceIsConfiguring: spec('SLB', 'THROTTLED', 400, 'A previous configuration is pending; please try again later.', true),
  SystemBusy: spec('SLB', 'UPSTREAM_UNAVAILABLE', 449, 'The system is busy.', true),
  TagCountLimit: spec('SLB', 'QUOTA_EXCEEDED', 400, 'Tags count limit exceeded.'),

  // STS, when an account's role cannot be assumed: the account cannot be used until its settings or the role's trust policy change.
  'EntityNotExist.Role': spec('STS', 'FORBIDDEN', 404, 'The role not exists.'),
  NoPermission: spec('STS', 'FORBIDDEN', 403, 'No permission perform sts:AssumeRole on this Role.'),
  'AuthenticationFail.NoPermission': spec('STS', 'FORBIDDEN', 401, 'There is no permission.'),
  'InvalidParameter.RoleArn': spec('STS', 'BAD_USER_INPUT', 400, 'The parameter RoleArn is wrongly formed.'),
  'InvalidParameter.RoleSessionName': spec('STS', 'BAD_USER_INPUT', 400, 'The parameter RoleSessionName is wrongly formed.'),
  'InvalidParameter.DurationSeconds': spec('STS', 'BAD_USER_INPUT', 400, 'The Min/Max value of DurationSeconds is 15min/1hr.'),
  'InvalidParameter.PolicyGrammar': spec('STS', 'BAD_USER_INPUT', 400, 'The parameter Policy has not passed grammar check.'),
  MissingSecurityToken: spec('STS', 'UNAUTHENTICATED', 400, 'SecurityToken is mandatory for this action.'),

  // The POP gateway's common codes, shared by every RPC product.
  'Forbidden.AccessKeyDisabled': spec('COMMON', 'UNAUTHENTICATED', 403, 'The Access Key is disabled.'),
  'Forbidden.RAM': spec('COMMON', 'FORBIDDEN', 403, "User not authorized to operate on the specified resource, or this API doesn't support RAM."),
  IllegalTimestamp: spec('COMMON', 'UNAUTHENTICATED', 400, 'The input parameter "Timestamp" that is mandatory for processing this request is not supplied.'),
  IncompleteSignature: spec('COMMON', 'UNAUTHENTICATED', 400, 'The request signature does not conform to Aliyun standards.'),
  InternalError: spec('COMMON', 'UPSTREAM_UNAVAILABLE', 500, 'The request processing has failed due to some unknown error, exception or failure.', true),
  'InvalidAccessKeyId.Inactive': spec('COMMON', 'UNAUTHENTICATED', 400, 'Specified access key is disabled.'),
  'InvalidAccessKeyId.NotFound': spec('COMMON', 'UNAUTHENTICATED', 404, 'Specified access key is not found.'),
  'InvalidAction.NotFound': spec('COMMON', 'INTERNAL_SERVER_ERROR', 404, 'Specified api is not found, please check your url and method.'),
  InvalidParameter: spec('COMMON', 'BAD_USER_INPUT', 400, 'The specified parameter is invalid.'),
  'InvalidProduct.NotFound': spec('COMMON', 'INTERNAL_SERVER_ERROR', 404, 'Cannot find product according to your specified domain.'),
  'InvalidSecurityToken.Expired': spec('COMMON', 'UNAUTHENTICATED', 400, 'Specified SecurityToken is expired.'),
  'InvalidSecurityToken.Malformed': spec('COMMON', 'UNAUTHENTICATED', 400, 'Specified SecurityToken is malformed.'),
  'InvalidSecurityToken.MismatchWithAccessKey': spec('COMMON', 'UNAUTHENTICATED', 400, 'Specified SecurityToken mismatch with the AccessKey.'),
  'InvalidTimeStamp.Expired': spec('COMMON', 'UNAUTHENTICATED', 400, 'Specified time stamp or date value is expired.'),
  InvalidVersion: spec('COMMON', 'INTERNAL_SERVER_ERROR', 400, 'Specified parameter Version is not valid.'),
  MissingParameter: spec('COMMON', 'BAD_USER_INPUT', 400, 'The input parameter that is mandatory for processing this request is not supplied.'),
  ServiceUnavailable: spec('COMMON', 'UPSTREAM_UNAVAILABLE', 503, 'The request has failed due to a temporary failure of the server.', true),
  ServiceUnavailableTemporary: spec('COMMON', 'UPSTREAM_UNAVAILABLE', 503, 'Service Unavailable Temporary.', true),
  SignatureDoesNotMatch: spec('COMMON', 'UNAUTHENTICATED', 400, 'Specified signature is not matched with our calculation.'),
  // The credentials are fine: one request's nonce collided and the next call signs with a fresh one.
  // A transient refusal of the cloud, not a reason to re-authenticate, so it sits with the retryable kind.
  SignatureNonceUsed: spec('COMMON', 'UPSTREAM_UNAVAILABLE', 400, 'Specified signature nonce was used already.', true),
  Throttling: spec('COMMON', 'THROTTLED', 400, 'Request was denied due to request throttling.', true),
  'Throttling.Api': spec('COMMON', 'THROTTLED', 400, 'Request was denied due to api flow control.', true),
  'Throttling.User': spec('COMMON', 'THROTTLED', 400, 'Request was denied due to user flow control.', true),
  UnsupportedHTTPMethod: spec('COMMON', 'INTERNAL_SERVER_ERROR', 403, 'This http method is not supported.'),

  // The gateway's own.
  UNAUTHENTICATED: spec('GATEWAY', 'UNAUTHENTICATED', 401, 'A valid API key is required.'),
  FORBIDDEN: spec('GATEWAY', 'FORBIDDEN', 403, 'This API key may not do that.'),
  GRAPHQL_VALIDATION_FAILED: spec('GATEWAY', 'BAD_USER_INPUT', 400, 'The operation is not valid against the schema.'),
  BAD_USER_INPUT: spec('GATEWAY', 'BAD_USER_INPUT', 400, 'The input is not valid.'),
  UPSTREAM_TIMEOUT: spec('GATEWAY', 'UPSTREAM_UNAVAILABLE', 504, 'The cloud API did not answer in time.', true),
  UPSTREAM_UNREACHABLE: spec('GATEWAY', 'UPSTREAM_UNAVAILABLE', 502, 'The cloud API could not be reached.', true),
  UPSTREAM_UNAVAILABLE: spec('GATEWAY', 'UPSTREAM_UNAVAILABLE', 503, 'The cloud API cannot be called now.', true),
  INTERNAL_SERVER_ERROR: spec('GATEWAY', 'INTERNAL_SERVER_ERROR', 500, 'Internal server error.'),
  BAD_REQUEST: spec('GATEWAY', 'BAD_USER_INPUT', 400, 'The request is not a GraphQL request.'),
  GRAPHQL_PARSE_FAILED: spec('GATEWAY', 'BAD_USER_INPUT', 400, 'The document does not parse.'),
  // Automatic persisted queries: the client sends the query with its hash again (Apollo's protocol).
  PERSISTED_QUERY_NOT_FOUND: spec('GATEWAY', 'BAD_USER_INPUT', 400, 'PersistedQueryNotFound'),
  OPERATION_RESOLUTION_FAILURE: spec('GATEWAY', 'BAD_USER_INPUT', 400, 'The operation to run cannot be told from the request.'),
  METHOD_NOT_ALLOWED: spec('GATEWAY', 'BAD_USER_INPUT', 405, 'Mutations are sent with POST.'),
  NOT_FOUND: spec('GATEWAY', 'NOT_FOUND', 404, 'There is nothing at this path.'),
  REQUEST_TIMEOUT: spec('GATEWAY', 'BAD_USER_INPUT', 408, 'The request was not received in time.'),
  PAYLOAD_TOO_LARGE: spec('GATEWAY', 'BAD_USER_INPUT', 413, 'The request body is too large.'),
  REQUEST_HEADER_FIELDS_TOO_LARGE: spec('GATEWAY', 'BAD_USER_INPUT', 431, 'The request line or headers are too large.'),
};

export function isKnownCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}

/**
 * For a code no document lists (a cloud may add codes), the category follows the status: the
 * caller still learns whether it is their input, a missing thing, or the cloud.
 */
export function specForUnknown(httpStatus: number): Omit<ErrorSpec, 'message' | 'source'> {
  if (httpStatus === 404) return { category: 'NOT_FOUND', httpStatus, retryable: false };
  if (httpStatus === 401) return { category: 'UNAUTHENTICATED', httpStatus, retryable: false };
  if (httpStatus === 403) return { category: 'FORBIDDEN', httpStatus, retryable: false };
  if (httpStatus === 429) return { category: 'THROTTLED', httpStatus, retryable: true };
  if (httpStatus >= 500 || httpStatus === 0) return { category: 'UPSTREAM_UNAVAILABLE', httpStatus, retryable: true };
  return { category: 'BAD_USER_INPUT', httpStatus, retryable: false };
}
