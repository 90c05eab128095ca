import { EmulatorError } from '../../protocol/emulator-error';

/**
 * ESA's documented errors, worded as the error tables of its API reference pages word them (for
 * example https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-getcertificate).
 * `detail`, where taken, is appended so a caller learns which value was wrong.
 */
export const EsaErrors = {
  missingSiteId: () => new EmulatorError('MissingSiteId', 400, 'Required parameter SiteId missing. Specify SiteId and try again.'),
  invalidSiteId: () =>
    new EmulatorError(
      'InvalidParameter.SiteId',
      400,
      'Failed to query the website based on the SiteID you specified. Check parameter SiteId and try again.',
    ),
  siteNotFound: () => new EmulatorError('SiteNotFound', 400, 'The specified site is not found.'),
  siteNotActivated: () => new EmulatorError('SiteNotActivated', 400, 'The site is not activated, the process is not allowed.'),
  idMissing: () => new EmulatorError('Id.MissingParameter', 400, 'The parameter Id is required.'),
  certificateNotFound: () => new EmulatorError('Certificate.NotFound', 404, 'The specified certificate does not exist.'),
  certificateStatusError: (detail?: string) =>
    new EmulatorError('Certificate.StatusError', 400, withDetail('The status of the certificate is invalid.', detail)),
  certificateNotMatchPrivateKey: () =>
    new EmulatorError('CertificateNotMatchPrivateKey', 400, 'The specified certificate does not match the private key.'),
  featureNotInPlan: () =>
    new EmulatorError(
      'QuotaCheckFailed.Function',
      400,
      'The feature is unavailable in your plan. Upgrade the plan or contact your account manager to request the feature.',
    ),
  invalidParameter: (detail?: string) => new EmulatorError('InvalidParameter', 400, withDetail('The specified parameter is invalid.', detail)),
  invalidType: () =>
    new EmulatorError('InvalidParameter.Type', 400, 'The specified Type parameter is invalid, please check and try again.'),
  domainsAlreadyApplied: (domain: string) =>
    new EmulatorError(
      'InvalidParameter.Domains',
      400,
      withDetail('You have already submitted a certificate application for the domain name.', domain),
    ),
  domainsTooMany: () =>
    new EmulatorError(
      'InvalidParameter.Domains',
      400,
      'The maximum number of domain names specified by parameter Domains has been reached. Adjust your configurations and try again. ' +
        'The upper limit of lets.encrypt type domain name is 50, the upper limit of digicert.single type domain name is 10, ' +
        'and the upper limit of digicert.wildcard type domain name is 1.',
    ),
  domainsMalformed: (domain: string) =>
    new EmulatorError(
      'InvalidParameter.Domains',
      400,
      withDetail('The domain specified in Domains parameter is not a valid domain name, please check and try again.', domain),
    ),
  domainsNotOfSite: (domain: string) =>
    new EmulatorError(
      'InvalidParameter.Domains',
      400,
      withDetail(
        'One or more domain names specified by parameter Domains do not belong to the current website. Check and try again.',
        domain,
      ),
    ),
  wildcardOnCnameSite: () =>
    new EmulatorError(
      'InvalidParameter.Domains',
      400,
      'The site which is configured in CNAME mode does not support wildcard domain certificate application.',
    ),
  quotaExceeded: () => new EmulatorError('QuotaExceeded', 403, 'The quota is exceeded.'),
  invalidToken: () => new EmulatorError('Unauthorized.InvalidToken', 403, 'Token authentication failed.'),
  invalidTime: () => new EmulatorError('Unauthorized.InvalidTime', 403, 'The specified authentication time is invalid.'),
} as const;

function withDetail(message: string, detail: string | undefined): string {
  return detail === undefined ? message : `${message} (${detail.length > 128 ? `${detail.slice(0, 128)}...` : detail})`;
}
