import { GatewayError } from '../errors/gateway-error';

/**
 * SLB server certificate names as SLB documents them: 1 to 80 characters. An uploaded certificate's
 * name starts with a letter and holds letters, digits, `.`, `_` and `-`
 * (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-uploadservercertificate);
 * SetServerCertificateName also takes `/`, `*` and Chinese characters
 * (https://help.aliyun.com/zh/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-setservercertificatename).
 * Checked here so that a name SLB would refuse costs no call and gets SLB's own answer, whatever its
 * size: a name too large for a URL would otherwise be refused by the HTTP layer, not by the rule.
 */
const MAX_CHARACTERS = 80;

const PATTERNS = {
  UploadServerCertificate: /^[A-Za-z][A-Za-z0-9._-]*$/,
  SetServerCertificateName: /^[\p{Script=Han}A-Za-z0-9\-/._*]+$/u,
} as const;

type NamingAction = keyof typeof PATTERNS;

/** An uploaded certificate's name; a blank one SLB reads as none, and names the certificate after it. */
export function checkUploadedName(name: string | undefined): string | undefined {
  return name === undefined || name.trim() === '' ? undefined : checkName(name, 'UploadServerCertificate');
}

/** The name SetServerCertificateName gives; SLB requires one. */
export function checkNewName(name: string): string {
  if (name.trim() === '') throw missing('ServerCertificateName', 'SetServerCertificateName');
  return checkName(name, 'SetServerCertificateName');
}

function checkName(name: string, action: NamingAction): string {
  if (tooLong(name)) throw tooLongError(action);
  if (!PATTERNS[action].test(name)) {
    throw GatewayError.refusedAs('InvalidParameter', 'SLB', 'The specified parameter ServerCertificateName is not valid.', action);
  }
  return name;
}

/** The label of a Certificate Management Service certificate is echoed beside the name, with the same bound. */
export function checkAliCloudCertificateName(name: string | undefined): void {
  if (name !== undefined && tooLong(name)) throw tooLongError('UploadServerCertificate');
}

function tooLong(value: string): boolean {
  // Characters, not UTF-16 units; a huge value is refused without being spread.
  return value.length > MAX_CHARACTERS * 2 || [...value].length > MAX_CHARACTERS;
}

function tooLongError(action: string): GatewayError {
  return GatewayError.refusedAs('InvalidParameterLength', 'SLB', 'The specified parameter length is not valid.', action);
}

function missing(parameter: string, action: string): GatewayError {
  return GatewayError.refusedAs('MissingParameter', 'SLB', `The input parameter "${parameter}" that is mandatory for processing this request is not supplied.`, action);
}
