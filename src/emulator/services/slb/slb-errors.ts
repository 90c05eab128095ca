import { CommonErrors, EmulatorError } from '../../protocol/emulator-error';

/**
 * SLB's documented certificate errors, worded verbatim as its "Common error codes" page words them
 * (https://github.com/AlibabaCloudDocs/slb/blob/master/intl.en-US/Classic%20Load%20Balancer/CLB%20Developer%20Guide/Developer%20Guide/Common%20error%20codes.md),
 * plus the gateway codes SLB answers with for generic problems (protocol/emulator-error.ts).
 *
 * `KeyFormatError` is not here because nothing emulated raises it (an unparsable certificate
 * answers the InvalidParameter "format is error" message instead; see the upload mapping in the
 * model); the codes of load balancers and listeners, `CertificateAndPrivateKeyIsRefered` among
 * them, are in load-balancer-errors.ts.
 */
export const SlbErrors = {
  missingParameter: (name: string) => CommonErrors.missingParameter(name),
  /** Generic validation failures: SLB documents no dedicated code, so the gateway's InvalidParameter with a precise message. */
  invalidParameter: (detail: string) => CommonErrors.invalidParameter(detail),
  regionNotFound: () => new EmulatorError('InvalidRegionId.NotFound', 404, 'The specified RegionId does not exist.'),
  certificateOrKeyEmpty: () => new EmulatorError('InvalidParameter', 400, 'The specified parameter ServerCertificate or Key is empty.'),
  certificateFormat: () => new EmulatorError('InvalidParameter', 400, 'The specified parameter ServerCertificate format is error.'),
  keyFormat: () => new EmulatorError('InvalidParameter', 400, 'The specified parameter key format is error.'),
  keyEncrypted: () => new EmulatorError('PrivateKeyEncryption', 400, 'Key has Encrypted .'),
  certificateNotMatchPrivateKey: () => new EmulatorError('CertificateNotMatchPrivateKey', 400, 'Certificate and key does not match.'),
  certificateIdEmpty: () => new EmulatorError('InvalidParameter', 400, 'The specified parameter ServerCertificateId is empty.'),
  /** The closest documented answer for an id that names no certificate: SLB documents no NotFound code for it. */
  certificateIdNotSupported: () =>
    new EmulatorError('InvalidParameter', 400, 'The specified parameter ServerCertificateId is not Support.'),
  resourceNotFound: () => new EmulatorError('InvalidParameter', 400, 'The specified resource does not exist.'),
  parameterLength: () => new EmulatorError('InvalidParameterLength', 400, 'The specified parameter length is not valid.'),
} as const;
