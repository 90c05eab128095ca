import { type Params } from '../../protocol/params';
import { type CertificateSource } from './server-certificates.model';
import { SlbErrors } from './slb-errors';

/** Longest ServerCertificateName both actions document: 1 to 80 characters (the pages cited below). */
const NAME_MAX_CHARACTERS = 80;

/**
 * The two actions document different name alphabets: UploadServerCertificate "must start with a
 * letter; letters, digits, `.` `_` `-`"
 * (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-uploadservercertificate),
 * SetServerCertificateName Chinese characters, letters, digits, `-`, `/`, `.`, `_` and `*`
 * (https://help.aliyun.com/zh/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-setservercertificatename).
 * Each action enforces its own.
 */
const NAME_PATTERNS = {
  upload: /^[A-Za-z][A-Za-z0-9._-]*$/,
  rename: /^[\p{Script=Han}A-Za-z0-9\-/._*]+$/u,
} as const;

export type NameRule = keyof typeof NAME_PATTERNS;

/** Resource group ids look like `rg-acfmxazb4ph6aiy` (the docs' examples). */
const RESOURCE_GROUP_ID = /^rg-[A-Za-z0-9]{1,64}$/;

export function regionIdOf(params: Params): string {
  return params.required('RegionId', () => SlbErrors.missingParameter('RegionId')).trim();
}

/**
 * DeleteServerCertificate only: its page marks RegionId optional
 * (https://help.aliyun.com/document_detail/34182.htm), and its SDK does not require it.
 */
export function optionalRegionIdOf(params: Params): string | undefined {
  return params.optional('RegionId')?.trim();
}

export function serverCertificateIdOf(params: Params): string {
  return params.required('ServerCertificateId', SlbErrors.certificateIdEmpty).trim();
}

/**
 * A too-long name answers `InvalidParameterLength`, SLB's documented code for exactly that, rather
 * than the catch-all InvalidParameter a bad character gets.
 */
export function serverCertificateNameOf(params: Params, rule: NameRule): string | undefined {
  const name = params.optional('ServerCertificateName');
  if (name === undefined) return undefined;
  if (tooLong(name)) throw SlbErrors.parameterLength();
  if (!NAME_PATTERNS[rule].test(name)) {
    throw SlbErrors.invalidParameter('The specified parameter ServerCertificateName is not valid.');
  }
  return name;
}

export function resourceGroupIdOf(params: Params): string | undefined {
  const id = params.optional('ResourceGroupId')?.trim();
  if (id !== undefined && !RESOURCE_GROUP_ID.test(id)) {
    throw SlbErrors.invalidParameter('The specified parameter ResourceGroupId is not valid.');
  }
  return id;
}

/**
 * The caller's label for a CAS certificate is only echoed back, so it gets the same bound as the
 * SLB name it sits beside in every answer.
 */
function aliCloudCertificateNameOf(params: Params): string | undefined {
  const name = params.optional('AliCloudCertificateName');
  if (name !== undefined && tooLong(name)) throw SlbErrors.parameterLength();
  return name;
}

/**
 * UploadServerCertificate takes a third-party certificate (ServerCertificate + PrivateKey) or a CAS
 * one (AliCloudCertificateId, optionally named), never both (the UploadServerCertificate page cited
 * above). A half-given PEM
 * pair stays a PEM upload, so it gets the documented "...ServerCertificate or Key is empty." answer.
 */
export function certificateSourceOf(params: Params): CertificateSource {
  const certificatePem = params.optional('ServerCertificate');
  const privateKeyPem = params.optional('PrivateKey');
  const casId = params.optional('AliCloudCertificateId')?.trim();
  const casName = aliCloudCertificateNameOf(params);
  const pemGiven = certificatePem !== undefined || privateKeyPem !== undefined;
  if (pemGiven && (casId !== undefined || casName !== undefined)) {
    throw SlbErrors.invalidParameter(
      'The parameters AliCloudCertificateId and AliCloudCertificateName cannot be combined with ServerCertificate and PrivateKey.',
    );
  }
  if (casId !== undefined) {
    return { kind: 'cas', id: casId, name: casName, regionId: params.optional('AliCloudCertificateRegionId')?.trim() };
  }
  if (pemGiven) return { kind: 'pem', certificatePem, privateKeyPem };
  throw SlbErrors.invalidParameter('Specify either ServerCertificate and PrivateKey, or AliCloudCertificateId.');
}

function tooLong(value: string): boolean {
  return [...value].length > NAME_MAX_CHARACTERS;
}
