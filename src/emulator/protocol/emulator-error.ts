/** An error the emulated cloud answers with: the documented code, HTTP status and message. */
export class EmulatorError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'EmulatorError';
  }
}

/**
 * The POP gateway's common codes, shared by every RPC product (SLB's list of them:
 * https://github.com/AlibabaCloudDocs/slb/blob/master/intl.en-US/Classic%20Load%20Balancer/CLB%20Developer%20Guide/Developer%20Guide/Common%20error%20codes.md). Where the
 * docs disagree on a status, the one real responses show is used.
 */
export const CommonErrors = {
  missingParameter: (name: string) =>
    new EmulatorError('MissingParameter', 400, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`),
  invalidParameter: (detail = 'The specified parameter is not valid.') => new EmulatorError('InvalidParameter', 400, detail),
  invalidActionOrVersion: () => new EmulatorError('InvalidParameter', 400, 'The specified parameter "Action or Version" is not valid.'),
  invalidVersion: () => new EmulatorError('InvalidVersion', 400, 'Specified parameter Version is not valid.'),
  actionNotFound: () => new EmulatorError('InvalidAction.NotFound', 404, 'Specified api is not found, please check your url and method.'),
  unsupportedMethod: () => new EmulatorError('UnsupportedHTTPMethod', 403, 'This http method is not supported.'),
  incompleteSignature: (detail: string) =>
    new EmulatorError('IncompleteSignature', 400, `The request signature does not conform to Aliyun standards. ${detail}`),
  signatureDoesNotMatch: () => new EmulatorError('SignatureDoesNotMatch', 400, 'Specified signature is not matched with our calculation.'),
  signatureNonceUsed: () => new EmulatorError('SignatureNonceUsed', 400, 'Specified signature nonce was used already.'),
  timestampExpired: () => new EmulatorError('InvalidTimeStamp.Expired', 400, 'Specified time stamp or date value is expired.'),
  illegalTimestamp: () =>
    new EmulatorError('IllegalTimestamp', 400, 'The input parameter "Timestamp" that is mandatory for processing this request is not supplied.'),
  accessKeyNotFound: () => new EmulatorError('InvalidAccessKeyId.NotFound', 404, 'Specified access key is not found.'),
  throttling: () => new EmulatorError('Throttling', 400, 'Request was denied due to request throttling.'),
  internalError: () =>
    new EmulatorError('InternalError', 500, 'The request processing has failed due to some unknown error, exception or failure.'),
  requestTooLarge: (limit: number) => new EmulatorError('InvalidParameter', 400, `The request body is larger than ${limit} bytes.`),
} as const;
